"""manage.py render_plan_pdfs: queue the PDFs of issued plan versions that have none, in
batches, for the background worker (or render them here with the immediate backend)."""

from django.core.management.base import BaseCommand

from everychild.plans.models import PlanVersion
from everychild.plans.tasks import render_plan_pdfs


class Command(BaseCommand):
    help = "Queue PDFs for issued plan versions that have none (safe to repeat)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=50, help="versions per task")
        parser.add_argument("--limit", type=int, default=None, help="at most this many")

    def handle(self, *args, batch, limit, **options):
        ids = list(
            PlanVersion.objects.filter(status=PlanVersion.Status.FINAL, pdf__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)[:limit]
        )
        for start in range(0, len(ids), batch):
            render_plan_pdfs.enqueue(ids[start : start + batch])
        self.stdout.write(f"Queued {len(ids)} PDFs in {-(-len(ids) // batch)} tasks.")
