"""Tests for coopkit.frameworks.survey: reading the survey, scoring, Cronbach's alpha, anonymity, practices."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopkit.errors import InputError
from coopkit.frameworks import survey as sv
from coopkit.paths import data_dir

CODES = [item.code for item in sv.ITEMS]
HEADER = ",".join(["team", *CODES])


def row(team: str, value: str = "4", **cells: str) -> str:
    """A survey line: every answer ``value`` except the ``cells`` given by item code."""
    return ",".join([team, *(cells.get(code, value) for code in CODES)])


def csv_text(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


# --------------------------------------------------------------------------- the items
def test_edmondson_items_are_the_published_wording_with_1_3_5_reversed():
    scale = sv.SCALES["psych_safety"]
    assert [i.text for i in scale.items] == [
        "If you make a mistake on this team, it is often held against you.",
        "Members of this team are able to bring up problems and tough issues.",
        "People on this team sometimes reject others for being different.",
        "It is safe to take a risk on this team.",
        "It is difficult to ask other members of this team for help.",
        "No one on this team would deliberately act in a way that undermines my efforts.",
        "Working with members of this team, my unique skills and talents are valued and utilized.",
    ]
    assert [i.code for i in scale.items if i.reverse] == ["ps1", "ps3", "ps5"]
    assert "Edmondson (1999)" in scale.origin and "350-383" in scale.origin


def test_coopkit_scales_say_they_are_coopkits_and_name_their_constructs():
    for key in ("healthy_competition", "collaboration", "toxic_signals"):
        scale = sv.SCALES[key]
        assert "coopkit's items" in scale.origin
        assert not any(i.reverse for i in scale.items)
    assert "Fletcher & Nusbaum 2010" in sv.SCALES["healthy_competition"].constructs
    assert "Connelly et al. 2012" in sv.SCALES["toxic_signals"].constructs
    assert not sv.SCALES["toxic_signals"].higher_is_better
    assert len(CODES) == len(set(CODES)) == 20


def test_every_practice_addresses_known_scales_and_cites_a_source():
    assert [p.title for p in sv.PRACTICES] == [
        "Deal review",
        "Knowledge-sharing huddles",
        "Rewarding help",
        "Cross-training",
        "Win-sharing",
    ]
    for practice in sv.PRACTICES:
        assert set(practice.weights) <= set(sv.SCALES) and all(w > 0 for w in practice.weights.values())
        assert any(ch.isdigit() for ch in practice.sources)


# --------------------------------------------------------------------------- CSV reading
def test_csv_reader_detects_semicolons_and_tabs_and_skips_blank_lines():
    assert sv.read_csv_text("a;b\n1;2\n", "T").to_dict("list") == {"a": ["1"], "b": ["2"]}
    assert sv.read_csv_text("a\tb\n\n1\t2\n", "T").index.tolist() == [3]
    assert sv.read_csv_text("\ufeffA B,c-d\n1,2", "T").columns.tolist() == ["a_b", "c_d"]


def test_csv_reader_keeps_quoted_commas_and_trailing_empty_cells():
    frame = sv.read_csv_text('name,topic\n"Smith, Ann","a, b",,\n', "T")
    assert frame.to_dict("list") == {"name": ["Smith, Ann"], "topic": ["a, b"]}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "T is empty: paste a CSV table with a header row, or load one with the Load file button"),
        ("  \n\n", "T is empty"),
        ("a,b\n1", "T: line 2 has 1 values but the header names 2 columns"),
        ("a,a\n1,2", "T: column 'a' appears twice in the header"),
        ("a,,b\n1,2,3", "T: column 2 of the header has no name"),
        ('a,b\n"1"x,2', "T: line 2 cannot be read as CSV"),
    ],
)
def test_csv_reader_problems_name_the_line_or_column(text, message):
    with pytest.raises(InputError) as err:
        sv.read_csv_text(text, "T")
    assert str(err.value).startswith(message)


def test_csv_reader_caps_the_rows():
    with pytest.raises(InputError, match="more than 3 rows"):
        sv.read_csv_text("a\n1\n2\n3\n4\n", "T", max_rows=3)


# --------------------------------------------------------------------------- the survey
def test_read_survey_gives_numbers_groups_and_unused_columns():
    text = csv_text(row("North", "5"), row("South", "4", ps2="", tx5="2.0"), header=HEADER + ",when")
    text = text.replace("\n", ",2025-03-01\n").replace("when,2025-03-01", "when")
    s = sv.read_survey(text)
    assert s.groups.tolist() == ["North", "South"]
    assert s.answers.loc[3, "ps2"] != s.answers.loc[3, "ps2"]  # blank is NaN
    assert s.answers.loc[3, "tx5"] == 2.0
    assert s.unused == ("when",)


def test_read_survey_without_a_group_column_is_one_group():
    s = sv.read_survey(csv_text(row("x")), group_column="")
    assert s.groups.tolist() == ["All"]
    assert s.unused == ("team",)


def test_blank_group_cells_form_their_own_group():
    assert sv.read_survey(csv_text(row(""))).groups.tolist() == ["(no group)"]


def test_a_bad_answer_names_the_column_the_rule_and_the_lines():
    text = csv_text(row("A"), row("A", ps3="9"), row("A", ps3="x", hc1="0"), row("A", ps3="3.5"), row("A", ps3="8"))
    with pytest.raises(InputError) as err:
        sv.read_survey(text)
    assert str(err.value) == (
        "Survey answers: column 'ps3' must hold whole numbers from 1 to 7, or be blank, got '9' on line 3, "
        "'x' on line 4, '3.5' on line 5 and 1 more; "
        "Survey answers: column 'hc1' must hold whole numbers from 1 to 7, or be blank, got '0' on line 4"
    )


def test_on_a_five_point_scale_six_is_refused():
    with pytest.raises(InputError, match="whole numbers from 1 to 5"):
        sv.read_survey(csv_text(row("A", "6")), points=5)


def test_missing_item_columns_are_listed():
    with pytest.raises(InputError) as err:
        sv.read_survey("team,ps1,ps2\nA,1,2\n")
    assert str(err.value).startswith(
        "Survey answers: columns 'ps3', 'ps4', 'ps5', 'ps6', 'ps7' and 13 more are missing"
    )
    with pytest.raises(InputError, match="column 'tx5' is missing; the header must name it"):
        sv.read_survey(csv_text(row("A")).replace(",tx5", "").replace(",4\n", "\n"))


def test_a_missing_group_column_says_to_clear_it():
    with pytest.raises(InputError, match=r"column 'region' \(the group column\) is missing.*clear Group column"):
        sv.read_survey(csv_text(row("A")), group_column="Region")


def test_header_names_are_matched_without_case():
    s = sv.read_survey(csv_text(row("A"), header=HEADER.upper()), group_column="TEAM")
    assert s.groups.tolist() == ["A"]


# --------------------------------------------------------------------------- scoring
def test_reverse_coding_on_seven_and_five_points():
    answers = pd.DataFrame({"ps1": [1.0, 7.0, np.nan], "ps2": [1.0, 7.0, 3.0]})
    assert sv.scored_items(answers, 7)["ps1"].tolist()[:2] == [7.0, 1.0]
    assert sv.scored_items(answers.clip(upper=5), 5)["ps1"].tolist()[:2] == [5.0, 1.0]
    assert sv.scored_items(answers)["ps2"].tolist() == [1.0, 7.0, 3.0]
    assert np.isnan(sv.scored_items(answers)["ps1"].iloc[2])


def test_a_respondent_with_every_reversed_item_at_1_scores_high_safety():
    answers = pd.DataFrame([[1.0 if i.reverse else 7.0 for i in sv.ITEMS]], columns=CODES)
    scores = sv.respondent_scores(sv.scored_items(answers))
    assert scores.loc[0, "psych_safety"] == 7.0


def test_half_rule_keeps_a_scale_with_half_its_items_and_drops_the_respondent_otherwise():
    scored = pd.DataFrame({c: [6.0, 6.0, 6.0] for c in CODES})
    scored.loc[0, ["hc1", "hc2"]] = np.nan  # 2 of 4 answered: kept
    scored.loc[1, ["tx1", "tx2", "tx3"]] = np.nan  # 2 of 5 answered: dropped
    scored.loc[2, "co1"] = 2.0
    scores = sv.respondent_scores(scored)
    assert scores.loc[0, "healthy_competition"] == 6.0
    assert scores.loc[1].isna().all()
    assert scores.loc[2, "collaboration"] == 5.0


# --------------------------------------------------------------------------- Cronbach's alpha
SHROUT_FLEISS = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]


def anova_icc3k(x: np.ndarray) -> float:
    """ICC(3, k) = (BMS - EMS) / BMS from the two-way ANOVA (Shrout and Fleiss 1979, table 1)."""
    n, k = x.shape
    grand = x.mean()
    ss_rows = k * ((x.mean(axis=1) - grand) ** 2).sum()
    ss_cols = n * ((x.mean(axis=0) - grand) ** 2).sum()
    ss_err = ((x - grand) ** 2).sum() - ss_rows - ss_cols
    bms, ems = ss_rows / (n - 1), ss_err / ((n - 1) * (k - 1))
    return (bms - ems) / bms


def test_alpha_matches_shrout_and_fleiss_published_icc_3_4():
    # Shrout & Fleiss (1979), Psychological Bulletin 86(2), tables 2 and 3: ICC(3, 4) = .91; with the four judges
    # as items, alpha is that ICC (McGraw & Wong 1996). Their ANOVA: BMS 11.24, EMS 1.02.
    alpha = sv.cronbach_alpha(SHROUT_FLEISS)
    assert round(alpha, 2) == 0.91
    assert alpha == pytest.approx(1 - 1.019444 / 11.241667, abs=1e-6)
    assert alpha == pytest.approx(0.909316, abs=1e-6)


def test_alpha_of_binary_items_is_kr20():
    rng = np.random.default_rng(3)
    x = (rng.random((50, 6)) < rng.random(6)).astype(float)
    x[:, 1] = np.maximum(x[:, 1], x[:, 0])
    p = x.mean(axis=0)
    kr20 = 6 / 5 * (1 - (p * (1 - p)).sum() / x.sum(axis=1).var())
    assert sv.cronbach_alpha(x) == pytest.approx(kr20)


@given(
    st.lists(
        st.lists(st.integers(1, 7), min_size=3, max_size=3),
        min_size=4,
        max_size=25,
    )
)
def test_alpha_equals_the_anova_icc_3k_for_any_answers(rows):
    x = np.array(rows, dtype=float)
    if x.sum(axis=1).var() == 0:  # respondents do not differ: both undefined
        return
    assert sv.cronbach_alpha(x) == pytest.approx(anova_icc3k(x), abs=1e-9)


def test_alpha_is_unchanged_by_shifting_an_item_and_1_for_identical_items():
    x = np.array(SHROUT_FLEISS, dtype=float)
    shifted = x + np.array([0, 3, -1, 2])
    assert sv.cronbach_alpha(shifted) == pytest.approx(sv.cronbach_alpha(x))
    same = np.repeat(x[:, :1], 3, axis=1)
    assert sv.cronbach_alpha(same) == pytest.approx(1.0)


def test_alpha_drops_incomplete_rows_and_is_nan_when_it_cannot_be_computed():
    x = np.array(SHROUT_FLEISS + [[1, np.nan, 3, 4]], dtype=float)
    assert sv.cronbach_alpha(x) == pytest.approx(sv.cronbach_alpha(SHROUT_FLEISS))
    assert np.isnan(sv.cronbach_alpha([[1], [2], [3]]))  # one item
    assert np.isnan(sv.cronbach_alpha([[1, 2, 3]]))  # one respondent
    assert np.isnan(sv.cronbach_alpha([[4, 4], [4, 4], [4, 4]]))  # no variance
    with pytest.raises(ValueError, match="2-D"):
        sv.cronbach_alpha([1, 2, 3])


def test_reliability_reads_each_scale():
    rng = np.random.default_rng(0)
    latent = rng.normal(4, 1.2, size=(60, 1))
    scored = pd.DataFrame(np.clip(np.rint(latent + rng.normal(0, 0.5, size=(60, 20))), 1, 7), columns=CODES)
    table = sv.reliability(scored)
    assert table.index.tolist() == [s.title for s in sv.SCALES.values()]
    assert (table["alpha"] > 0.8).all() and set(table["reading"]) <= {"good", "excellent"}
    assert table["items"].tolist() == [7, 4, 4, 5]


# --------------------------------------------------------------------------- anonymity
def test_no_small_group_no_pooling():
    p = sv.pool_groups({"A": 5, "B": 9})
    assert p.labels == {"A": "A", "B": "B"} and p.small == () and p.secondary == ()
    assert p.note().endswith("Every group has enough answers to be shown on its own.")


def test_small_groups_that_reach_the_minimum_together_are_pooled_alone():
    p = sv.pool_groups({"A": 3, "B": 2, "C": 9, "D": 6})
    assert p.labels == {"A": sv.OTHER, "B": sv.OTHER, "C": "C", "D": "D"}
    assert p.secondary == ()
    assert p.note() == (
        'No figure is shown for fewer than 5 answers. 2 groups with fewer than 5 answers are pooled as "Other (pooled)".'
    )


def test_a_pool_under_the_minimum_takes_in_the_smallest_other_group():
    p = sv.pool_groups({"Channel": 3, "North": 8, "South": 10, "Metro": 9})
    assert p.small == ("Channel",) and p.secondary == ("North",)
    assert [g for g, label in p.labels.items() if label == sv.OTHER] == ["Channel", "North"]


def test_a_higher_minimum_pools_more():
    p = sv.pool_groups({"A": 6, "B": 7, "C": 12}, minimum=8)
    assert p.small == ("A", "B") and p.secondary == ()


def test_the_minimum_cannot_be_lowered_under_five():
    with pytest.raises(InputError, match="at least 5"):
        sv.pool_groups({"A": 4}, minimum=3)


def test_a_real_group_called_other_is_not_merged_with_the_pool():
    p = sv.pool_groups({sv.OTHER: 6, "B": 2, "C": 3})
    assert p.labels[sv.OTHER] == sv.OTHER
    assert p.labels["B"] == p.labels["C"] == f"{sv.OTHER} *"


@given(st.lists(st.integers(1, 12), min_size=1, max_size=8), st.integers(5, 8))
def test_no_row_ever_rests_on_fewer_than_the_minimum_and_rows_add_up_to_the_team(sizes, minimum):
    names = [f"G{j}" for j in range(len(sizes))]
    total = sum(sizes)
    if total < minimum:
        return
    groups = pd.Series([g for g, n in zip(names, sizes, strict=True) for _ in range(n)])
    rng = np.random.default_rng(total)
    scores = pd.DataFrame({k: rng.uniform(1, 7, total) for k in sv.SCALES})
    pooling = sv.pool_groups(dict(zip(names, sizes, strict=True)), minimum)
    table = sv.group_table(scores, groups, pooling)
    assert (table["answers"] >= minimum).all()
    shown = table.drop(index=sv.WHOLE_TEAM)
    assert shown["answers"].sum() == table.loc[sv.WHOLE_TEAM, "answers"] == total  # nothing hidden to subtract
    for name, n in zip(names, sizes, strict=True):
        if n < minimum:
            assert name not in table.index
    # a small group's mean cannot be recovered from any pair of rows: every row is a group of at least `minimum`
    assert all(table.loc[label, "answers"] >= minimum for label in set(pooling.labels.values()))


def test_group_table_means_and_corners():
    scores = pd.DataFrame(
        {
            "psych_safety": [6.0] * 5 + [3.0] * 5,
            "healthy_competition": [5.0] * 5 + [5.0] * 5,
            "collaboration": [5.0] * 10,
            "toxic_signals": [2.0] * 5 + [5.0] * 5,
        }
    )
    groups = pd.Series(["B"] * 5 + ["A"] * 5)
    table = sv.group_table(scores, groups, sv.pool_groups({"B": 5, "A": 5}))
    assert table.index.tolist() == ["A", "B", sv.WHOLE_TEAM]
    assert table["corner"].tolist() == ["cut-throat rivalry", "healthy rivalry", "healthy rivalry"]
    assert table.loc[sv.WHOLE_TEAM, "toxic_signals"] == 3.5


def test_corners_split_at_the_midpoint():
    assert sv.corner(4.0, 3.99) == "healthy rivalry"
    assert sv.corner(3.99, 4.0) == "disengaged and toxic"
    assert sv.corner(3.0, 3.0, points=5) == "cut-throat rivalry"


def test_analyse_refuses_fewer_than_five_usable_answers():
    answers = pd.DataFrame([[4.0] * 20] * 4, columns=CODES)
    with pytest.raises(InputError, match="4 usable answers; at least 5 are needed"):
        sv.analyse(sv.Survey(answers, pd.Series(["A"] * 4), 7))


def test_analyse_leaves_out_respondents_short_of_half_a_scale_and_says_which_lines():
    answers = pd.DataFrame([[4.0] * 20] * 6, columns=CODES, index=[2, 3, 4, 5, 6, 7])
    answers.loc[5, ["co1", "co2", "co3"]] = np.nan
    r = sv.analyse(sv.Survey(answers, pd.Series(["A"] * 6, index=answers.index), 7))
    assert r.dropped_lines == (5,) and r.used == 5 and r.respondents == 6


# --------------------------------------------------------------------------- practices and items
def test_gaps_run_from_the_best_end():
    g = sv.gaps({"psych_safety": 1.0, "healthy_competition": 7.0, "collaboration": 4.0, "toxic_signals": 7.0})
    assert g == {"psych_safety": 1.0, "healthy_competition": 0.0, "collaboration": 0.5, "toxic_signals": 1.0}
    assert sv.gaps({k: 3.0 for k in sv.SCALES}, points=5)["toxic_signals"] == 0.5


def test_practices_follow_the_weakest_scale():
    def ranked(**scores):
        base = {"psych_safety": 6.0, "healthy_competition": 6.0, "collaboration": 6.0, "toxic_signals": 2.0}
        return sv.rank_practices(pd.DataFrame([{**base, **scores}], index=[sv.WHOLE_TEAM])).index.tolist()

    assert ranked(psych_safety=2.0)[0] == "Deal review"
    assert ranked(collaboration=2.0)[:2] == ["Knowledge-sharing huddles", "Cross-training"]
    assert ranked(toxic_signals=6.0)[:2] == ["Rewarding help", "Win-sharing"]
    assert ranked(healthy_competition=2.0)[0] == "Win-sharing"
    priorities = sv.rank_practices(pd.DataFrame([{k: 4.0 for k in sv.SCALES}], index=[sv.WHOLE_TEAM]))["priority"]
    assert priorities.tolist() == pytest.approx([0.5] * 5)  # all at the midpoint: ties kept in the listed order


def test_practices_name_the_group_that_needs_them_most():
    table = pd.DataFrame(
        {
            "psych_safety": [6.0, 3.0, 4.5],
            "healthy_competition": [5.0, 5.0, 5.0],
            "collaboration": [6.0, 3.0, 4.5],
            "toxic_signals": [2.0, 5.5, 3.75],
        },
        index=["North", "Metro", sv.WHOLE_TEAM],
    )
    assert set(sv.rank_practices(table)["most_needed_in"]) == {"Metro"}
    assert set(sv.rank_practices(table.drop(index="North"))["most_needed_in"]) == {""}  # one group: no comparison


def test_item_table_hides_items_with_fewer_than_five_answers():
    answers = pd.DataFrame([[5.0] * 20] * 6, columns=CODES)
    answers.loc[:1, "tx2"] = np.nan
    answers.loc[:, "ps1"] = [1.0, 2.0, 2.0, 6.0, 7.0, 1.0]
    items = sv.item_table(answers)
    assert items.loc["ps1", "mean_answer"] == pytest.approx(19 / 6)
    assert items.loc["ps1", "mean_score"] == pytest.approx(8 - 19 / 6)
    assert items.loc["ps1", "agree"] == pytest.approx(2 / 6)
    assert items.loc["tx2", "answers"] == 4 and np.isnan(items.loc["tx2", "mean_answer"])


# --------------------------------------------------------------------------- the shipped sample
@pytest.fixture(scope="module")
def sample():
    return sv.analyse(sv.read_survey((data_dir() / "sales" / "survey.csv").read_text(encoding="utf-8")))


def test_sample_pools_the_team_of_three_and_shows_metro_as_cut_throat(sample):
    assert sample.respondents == 40 and sample.used == 40
    assert sample.pooling.small == ("Channel",)
    assert "Channel" not in sample.groups.index
    assert sample.groups.loc["Metro", "corner"] == "cut-throat rivalry"
    assert (sample.groups["answers"] >= 5).all()
    assert (sample.reliability["alpha"] > 0.7).all()


def test_sample_has_answers_of_every_team_in_the_csv(sample):
    raw = pd.read_csv(data_dir() / "sales" / "survey.csv")
    assert raw["team"].value_counts().to_dict() == {"Enterprise": 10, "South": 10, "Metro": 9, "North": 8, "Channel": 3}
    assert raw[CODES].isna().sum().sum() == 3


def test_template_header_matches_the_items():
    assert sv.template_csv().split(",") == ["team", *CODES]
    assert sv.template_csv(group_column="").split(",") == CODES
    assert sv.SOURCES[0].startswith("Edmondson")
