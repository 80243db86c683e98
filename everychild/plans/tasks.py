"""Background work for plans: PDFs of issued versions in large batches (django-tasks: in
process in the demonstration and tests, the database worker in production)."""

from django_tasks import task

from everychild.plans import documents


@task()
def render_plan_pdfs(version_ids: list[int]) -> int:
    """Render and keep the PDF of each issued version that has none; returns how many."""
    return documents.store_pdfs(version_ids)
