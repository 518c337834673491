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


def test_range_over_seeds() -> None:
    runs = ["mean 1.3530", "mean 1.4400", "mean 1.6328"]
    inside = compare("mean 1.5000", runs)
    assert inside.status == "confirmed"
    assert inside.numbers[0].low == 1.3530 and inside.numbers[0].high == 1.6328
    assert compare("mean 2.0000", runs).status == "refuted"


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
