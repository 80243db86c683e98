"""Build the compiled SEN2 screen (`_screen.pyx`, decision 0292) in place: `make setup` runs
this after installing the packages, with the installed lxml's headers, so the screen is
compiled against the very lxml it runs with. Without it the validator still works, all in
Python, only more slowly."""

from pathlib import Path

import lxml
from Cython.Build import cythonize
from setuptools import Extension, setup

ROOT = Path(__file__).resolve().parents[3]


def main() -> None:
    extension = Extension(
        "everychild.returns.sen2._screen",
        ["everychild/returns/sen2/_screen.pyx"],
        include_dirs=lxml.get_include(),
        extra_compile_args=["-O2", "-w"],
    )
    setup(
        name="everychild-sen2-screen",
        script_args=[
            "-q",
            "build_ext",
            "--inplace",
            "--build-temp",
            "var/build-screen",
            "--build-lib",
            "var/build-screen/lib",
        ],
        ext_modules=cythonize([extension], quiet=True, language_level=3),
    )


if __name__ == "__main__":
    import os

    os.chdir(ROOT)
    main()
