from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from delaktig.organisation.models import Municipality, PolicyProfile


class Command(BaseCommand):
    help = "Ladda demokommunen med dialoger i alla skeden och skriv ut inloggningar."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--profile",
            default="sollentuna",
            help="Policyprofil: styrgrupp, trelleborg, vanersborg, sollentuna eller ljungby.",
        )
        parser.add_argument("--reset", action="store_true", help="Töm databasen först.")

    def handle(self, *args: Any, **options: Any) -> None:
        from django.core.management import call_command

        from delaktig.governance.demo import DEMO_PASSWORD, PEOPLE, build_demo

        if options["reset"]:
            call_command("flush", "--noinput", verbosity=0)
            call_command("migrate", "organisation", verbosity=0)
            from delaktig.organisation.profile_data import sync_profiles

            sync_profiles()
        if not PolicyProfile.objects.filter(slug=options["profile"]).exists():
            slugs = ", ".join(PolicyProfile.objects.values_list("slug", flat=True))
            raise CommandError(f"Okänd policyprofil. Välj en av: {slugs}")
        if Municipality.objects.filter(slug="demo").exists():
            self.stdout.write("Demokommunen finns redan (kör med --reset för att bygga om den).")
            logins = [(key, username, DEMO_PASSWORD) for key, username, *_ in PEOPLE]
        else:
            ctx = build_demo(profile_slug=options["profile"])
            logins = ctx.logins
            self.stdout.write(
                f"Demokommunen {ctx.municipality.name} är laddad med policyprofilen "
                f"”{ctx.municipality.profile.name}”: {len(ctx.dialogues)} dialoger."
            )
        self.stdout.write("\nInloggningar (http://127.0.0.1:8000/konto/logga-in/):")
        for role, username, password in logins:
            self.stdout.write(f"  {role:<24} {username:<15} {password}")
        self.stdout.write("")
