from django_tasks import task

from everychild.core import jobs


@task()
def run_job(run_id: int) -> str:
    return jobs.run(run_id)
