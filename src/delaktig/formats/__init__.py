"""One date style per language (FORMAT_MODULE_PATH): day, month in words, year; 24-hour time.

English follows the same order as Swedish ("4 December 2026, 18:30"), as a Swedish public
service writes it in English, rather than Django's American default ("Dec. 4, 2026, 6:30 p.m.").
"""
