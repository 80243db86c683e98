from django_tasks import task

from everychild.improvement import services


@task()
def make_board_pack(run_id: int) -> str:
    return services.make_board_pack(run_id)
