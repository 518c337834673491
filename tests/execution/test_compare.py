"""Claimed vs observed output: numbers judged at their printed precision, text aligned despite copying."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from verifier.execution.compare import compare
from verifier.execution.tokens import tokenize


def test_collapsed_log_lines_still_align() -> None:
    claimed = "Epoch 0, Loss 0.0003, Output 2.0008 Epoch 10, Loss 0.0002, Output 2.0006 Final output: 2.0001"
    observed = "Epoch 0, Loss 0.0003, Output 2.0008\nEpoch 10, Loss 0.0002, Output 2.0006\nFinal output: 2.0001\n"
    result = compare(claimed, [observed])
    assert result.status == "confirmed"
    assert [c.claimed for c in result.numbers] == ["0", "0.0003", "2.0008", "10", "0.0002", "2.0006", "2.0001"]


def test_extra_warning_lines_are_ignored() -> None:
    observed = ("/usr/lib/python3/site.py:12: UserWarning: something 42 deprecated\n  warnings.warn(x)\n"
                "result: 3.14\n")
    result = compare("result: 3.14", [observed])
    assert result.status == "confirmed"
    assert result.extra_observed_tokens > 0


def test_a_wrong_number_is_refuted_with_both_values() -> None:
    result = compare("The derivative at x = 1 is approximately 4.0000",
                     ["The derivative at x = 1 is approximately 3.9231\n"])
    assert result.status == "refuted"
    assert "4.0000 vs 3.9231" in result.summary
    bad = [c for c in result.numbers if c.verdict == "refuted"]
    assert bad[0].delta is not None and abs(bad[0].delta - 0.0769) < 1e-9


def test_printed_precision_sets_the_tolerance() -> None:
    assert compare("2.5000", ["2.49996"]).status == "confirmed"      # rounds to 2.5000
    assert compare("2.5000", ["2.49983"]).status == "approximate"    # off by 1.7e-4: within rtol 1e-3 only
    assert compare("2.5000", ["2.49983"], rtol=0).status == "refuted"
    assert compare("2.5", ["2.549"]).status == "confirmed"
    assert compare("2.5", ["2.56"], rtol=0).status == "approximate"  # within one printed unit
    assert compare("0.5000", ["0.50004"]).status == "confirmed"


def test_scientific_notation() -> None:
    assert compare("tensor([3.3333e-01, 6.6667e-01, 1.0000e-05])",
                   ["tensor([3.33333e-01, 6.66667e-01, 1.0e-05])"]).status == "confirmed"
    assert tokenize("1e3")[0].value == 1000.0
    assert tokenize("2.5E-3")[0].half_unit == 0.5e-4


def test_negative_zero_equals_zero() -> None:
    assert compare("-0.0", ["0.0"]).status == "confirmed"
    assert compare("tensor(-0.)", ["tensor(0.)"]).status == "confirmed"


def test_nan_and_inf() -> None:
    assert compare("loss nan grad_norm=-inf", ["loss nan grad_norm=-inf"]).status == "confirmed"
    assert compare("loss nan", ["loss 0.5"]).status == "refuted"
    assert compare("inf", ["-inf"]).status == "refuted"


def test_thousands_separators() -> None:
    assert tokenize("1,234,567")[0].value == 1234567.0
    assert compare("Total: 1,234 items", ["Total: 1234 items"]).status == "confirmed"


def test_percentages() -> None:
    assert compare("accuracy 97.5%", ["accuracy 97.5 %"]).status == "confirmed"
    assert compare("accuracy 97.5%", ["accuracy 96.1%"]).status == "refuted"


def test_missing_number_is_refuted() -> None:
    result = compare("a 1.0 b 2.0", ["a 1.0 b"])
    assert result.status == "refuted"
    assert [c.verdict for c in result.numbers] == ["confirmed", "missing"]


def test_one_run_must_reproduce_the_whole_log() -> None:
    runs = ["mean 1.3530", "mean 1.4400", "mean 1.6328"]
    assert compare("mean 1.4400", runs).status == "confirmed"
    between = compare("mean 1.5000", runs, labels=["seed 0", "seed 1", "seed 2"])
    assert between.status == "refuted"  # inside the range of the seeds, but no run printed it
    assert between.run == "seed 1" and "nearest is seed 1" in between.summary
    assert "0 of 1 numbers agree, worst deviation 0.06" in between.summary


def test_numbers_are_never_pooled_across_seeds() -> None:
    # Each number was printed by some seed, but no single seed printed the log.
    runs = ["Output 0.2200 Loss 2.5000", "Output 0.5000 Loss 3.1000", "Output 0.8900 Loss 1.9000"]
    result = compare("Output 0.5000 Loss 2.5000", runs, labels=["seed 0", "seed 1", "seed 2"])
    assert result.status == "refuted"
    assert "no single run reproduces the log" in result.summary
    assert [m.agreeing for m in result.runs] == [1, 1, 0]
    assert compare("Output 0.5000 Loss 3.1000", runs).status == "confirmed"


def test_reproducing_seed_is_named() -> None:
    result = compare("acc 0.91", ["acc 0.88", "acc 0.91"], labels=["seed 0", "seed 1"])
    assert result.status == "confirmed" and result.run == "seed 1"
    assert "in seed 1 (1 of 2 runs reproduce the whole log)" in result.summary


@given(st.lists(st.tuples(st.floats(-10, 10), st.floats(-10, 10)), min_size=1, max_size=6),
       st.tuples(st.floats(-10, 10), st.floats(-10, 10)))
def test_more_seeds_never_widen_what_passes(seeds: list[tuple[float, float]], claim: tuple[float, float]) -> None:
    claimed = f"a {claim[0]:.2f} b {claim[1]:.2f}"
    outputs = [f"a {x:.4f} b {y:.4f}" for x, y in seeds]
    alone = [compare(claimed, [text]).status == "confirmed" for text in outputs]
    assert (compare(claimed, outputs).status == "confirmed") == any(alone)


def test_ignore_patterns_are_linear_time_and_checked() -> None:
    from verifier.execution.patterns import validate_pattern

    assert validate_pattern("([") is not None and "missing ]" in str(validate_pattern("(["))
    assert validate_pattern(r"(a)\1") is not None  # backreferences: not in RE2
    assert validate_pattern("^(a+)+$") is None  # catastrophic for backtracking engines, linear in RE2
    text = "a" * 200_000 + "!"
    assert compare(text + " 1.0", [text + " 1.0"], ignore=["^(a+)+$"]).status == "confirmed"


def test_text_only_outputs_compare_normalised_words() -> None:
    assert compare("Hello,   World!\n", ["hello world"]).status == "confirmed"
    assert compare("Hello World", ["Goodbye World"]).status == "refuted"


def test_ignore_patterns_mask_addresses() -> None:
    claimed = "<object at 0x7f3a2b> value 3"
    assert compare(claimed, ["<object at 0x55aa11> value 3"], ignore=[r"0x[0-9a-f]+"]).status == "confirmed"


def test_missing_words_downgrade_to_approximate() -> None:
    result = compare("Final output: 2.0001", ["Output 2.0001"])
    assert result.status == "approximate"
    assert "Final" in result.missing_words


@given(st.lists(st.tuples(st.sampled_from(["loss", "acc", "step", "value", "x"]),
                          st.floats(allow_nan=True, allow_infinity=True, width=32),
                          st.integers(0, 8)), min_size=1, max_size=8),
       st.sampled_from([" ", "\n", ", "]))
def test_output_always_matches_itself(items: list[tuple[str, float, int]], separator: str) -> None:
    text = separator.join(f"{word} {value:.{digits}f}" for word, value, digits in items)
    assert compare(text, [text]).status == "confirmed"
