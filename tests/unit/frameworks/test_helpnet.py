"""Tests for coopkit.frameworks.helpnet: the help log and reps table, the help network, mentoring assignment."""

from __future__ import annotations

import itertools
from collections import Counter

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopkit.errors import InputError
from coopkit.frameworks import helpnet as hn
from coopkit.paths import data_dir

LOG = "helper,helped,date,topic\n" + "\n".join(
    [
        "Ana,Ben,2025-01-06,pricing",
        "Ana,Ben,2025-01-08,demo",
        "Ben,Ana,2025-01-09,",
        "Ana,Cy,2025-02-03,pricing",
        "Dee,Cy,2025-03-01,demo",
    ]
)
REPS = "name,tenure_months,quota_attainment,skill_closing,skill_discovery\n" + "\n".join(
    ["Ana,40,112%,5,3", "Ben,30,1.05,3,5", "Cy,4,0.5,1,2", "Dee,6,0.7,2,4", "Eve,14,0.9,3,3"]
)


def error(fn, *args, **kw) -> str:
    with pytest.raises(InputError) as err:
        fn(*args, **kw)
    return str(err.value)


# --------------------------------------------------------------------------- reading
def test_help_log_is_read_with_dates_and_topics():
    log = hn.read_help_log(LOG)
    assert log.index.tolist() == [2, 3, 4, 5, 6]
    assert log["date"].dt.strftime("%Y-%m-%d").tolist()[0] == "2025-01-06"
    assert log["topic"].tolist() == ["pricing", "demo", "", "pricing", "demo"]


def test_help_log_accepts_from_to_headers_spaces_and_no_topic():
    log = hn.read_help_log("From;To;Date\n  Ana   Silva ;Ben;2025-01-06\n")
    assert log[["helper", "helped", "topic"]].values.tolist() == [["Ana Silva", "Ben", ""]]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "helper,helped,date\nAna,Ben,2025-02-30",
            "Help log: column 'date' must hold dates written YYYY-MM-DD, e.g. 2025-01-31, got '2025-02-30' on line 2",
        ),
        ("helper,helped,date\nAna,,2025-01-02", "Help log: column 'helped' must not be blank, got blank on line 2"),
        (
            "helper,helped,date\nAna,ana,2025-01-02",
            "Help log: a row's 'helped' must name someone other than its 'helper', got 'Ana' on line 2",
        ),
        ("helper,date\nAna,2025-01-02", "Help log: column 'helped' is missing; the header must name it"),
        ("helper,helped,when\nAna,Ben,x", "Help log: column 'date' is missing; the header must name it"),
        (
            "helper,helped,date\n" + "A" * 81 + ",Ben,2025-01-02",
            "Help log: column 'helper' must hold a name of at most 80 characters",
        ),
    ],
)
def test_help_log_problems_name_the_column_and_line(text, message):
    assert error(hn.read_help_log, text).startswith(message)


def test_reps_are_read_with_percent_attainment_and_skills():
    reps = hn.read_reps(REPS)
    assert reps.index.tolist() == ["Ana", "Ben", "Cy", "Dee", "Eve"]
    assert reps.columns.tolist() == ["tenure_months", "quota_attainment", "closing", "discovery"]
    assert reps.loc["Ana", "quota_attainment"] == 1.12 and reps.loc["Ben", "quota_attainment"] == 1.05


def test_reps_ignore_other_columns_and_accept_aliases():
    reps = hn.read_reps("Rep,Team,Tenure,Attainment,Skill Demo\nAna,North,12,1,4\n")
    assert reps.to_dict("index") == {"Ana": {"tenure_months": 12.0, "quota_attainment": 1.0, "demo": 4.0}}


@pytest.mark.parametrize(
    ("text", "kw", "message"),
    [
        (
            "name,tenure_months,quota_attainment,skill_a\nAna,12,600%,3",
            {},
            "Reps: column 'quota_attainment' must hold a share of quota from 0 to 5, e.g. 1.05 or 105%, got '600%'",
        ),
        (
            "name,tenure_months,quota_attainment,skill_a\nAna,-1,1,3",
            {},
            "Reps: column 'tenure_months' must hold months from 0 to 600, got '-1' on line 2",
        ),
        (
            "name,tenure_months,quota_attainment,skill_a\nAna,1,1,3\nana ,2,1,3",
            {},
            "Reps: column 'name' must name each rep once (no repeats), got 'Ana' on line 2, 'ana' on line 3",
        ),
        ("name,tenure_months,quota_attainment\nAna,1,1", {}, "Reps: no skill columns; add one per skill area"),
        (
            "name,tenure_months,quota_attainment,skill_a\nAna,1,1,8",
            {},
            "Reps: column 'skill_a' must hold scores from 1 to 5, got '8' on line 2",
        ),
        ("name,quota_attainment,skill_a\nAna,1,3", {}, "Reps: column 'tenure_months' is missing"),
    ],
)
def test_reps_problems_name_the_column_rule_and_line(text, kw, message):
    assert error(hn.read_reps, text, **kw).startswith(message)


def test_a_ten_point_skill_scale_accepts_eight():
    assert hn.read_reps("name,tenure_months,quota_attainment,skill_a\nAna,1,1,8", skill_top=10).loc["Ana", "a"] == 8


# --------------------------------------------------------------------------- the network
@pytest.fixture
def graph() -> nx.DiGraph:
    return hn.help_network(hn.read_help_log(LOG), people=hn.read_reps(REPS).index)


def test_network_weights_topics_and_isolated_people(graph):
    assert graph["Ana"]["Ben"]["weight"] == 2
    assert graph["Ana"]["Ben"]["topics"] == Counter({"pricing": 1, "demo": 1})
    assert graph.degree("Eve") == 0
    assert sorted(graph.nodes) == ["Ana", "Ben", "Cy", "Dee", "Eve"]


def test_names_are_matched_across_spellings():
    log = pd.DataFrame({"helper": ["ana  silva", "Ben"], "helped": ["Ben", "ANA SILVA"], "topic": ["", ""]})
    g = hn.help_network(log, people=["Ana Silva", "Ben"])
    assert sorted(g.nodes) == ["Ana Silva", "Ben"] and g.number_of_edges() == 2


def test_network_table_strengths_degrees_reciprocity_and_roles(graph):
    t = hn.network_table(graph)
    assert t.index.tolist() == ["Ana", "Ben", "Dee", "Cy", "Eve"]  # most given first, then by name
    assert t.loc["Ana"].to_dict() == {
        "gives": 3,
        "takes": 1,
        "helped": 2,
        "helpers": 1,
        "reciprocity": pytest.approx(2 / 3),
        "role": "mostly gives",
    }
    assert t["role"].to_dict() == {
        "Ana": "mostly gives",
        "Ben": "mostly takes",
        "Dee": "only gives",
        "Cy": "only takes",
        "Eve": "isolated",
    }
    assert np.isnan(t.loc["Eve", "reciprocity"])
    assert t.loc["Cy", "reciprocity"] == 0.0
    for person in ("Ana", "Ben", "Cy", "Dee"):
        assert t.loc[person, "reciprocity"] == pytest.approx(nx.reciprocity(graph, [person])[person])


def test_summary_of_the_network(graph):
    s = hn.summarise(graph, hn.network_table(graph), hn.read_help_log(LOG))
    assert (s.events, s.people, s.ties) == (5, 5, 4)
    assert s.reciprocity == pytest.approx(nx.overall_reciprocity(graph)) == 0.5
    assert s.top_givers == ("Ana",) and s.top_share == 0.6  # the top fifth of 5 people: 1
    assert s.isolated == ("Eve",) and s.only_takes == ("Cy",)
    assert (s.first.isoformat(), s.last.isoformat()) == ("2025-01-06", "2025-03-01")


def test_an_empty_network_has_no_reciprocity_or_share():
    g = hn.help_network(pd.DataFrame({"helper": [], "helped": [], "topic": []}), people=["Ana"])
    s = hn.summarise(g, hn.network_table(g))
    assert s.events == 0 and np.isnan(s.reciprocity) and np.isnan(s.top_share) and s.isolated == ("Ana",)


def test_topics_count_and_name_the_main_helper(graph):
    t = hn.topic_table(graph)
    assert t.to_dict("index") == {
        "pricing": {"times": 2, "top_helper": "Ana", "top_helper_times": 2},
        "demo": {"times": 2, "top_helper": "Ana", "top_helper_times": 1},  # a tie: by name
    }


# --------------------------------------------------------------------------- mentoring
def test_pair_benefit_weights_the_gap_by_the_mentees_need():
    b = hn.pair_benefit([[1, 5], [3, 3]], [[5, 5], [2, 1]], top=5)
    # mentee 0 (needs 1.0, 0.0) from mentor 0: 4 x 1.0; mentee 1 (needs 0.5, 0.5) from mentor 0: 2 x .5 + 2 x .5
    assert b.tolist() == [[4.0, 1.0], [2.0, 0.0]]


def brute_force(benefit: np.ndarray, limits) -> float:
    """The best total over every way to give each mentee at most one mentor within the mentors' limits."""
    n_mentees, n_mentors = benefit.shape
    best = 0.0
    for choice in itertools.product(range(-1, n_mentors), repeat=n_mentees):
        load = Counter(m for m in choice if m >= 0)
        if any(load[m] > limits[m] for m in load):
            continue
        best = max(best, sum(benefit[e, m] for e, m in enumerate(choice) if m >= 0))
    return best


def check_pairs(benefit: np.ndarray, limits, pairs) -> None:
    mentees = [e for e, _ in pairs]
    assert len(mentees) == len(set(mentees))
    load = Counter(m for _, m in pairs)
    assert all(load[m] <= limits[m] for m in load)
    assert all(benefit[e, m] > 0 for e, m in pairs)
    assert sum(benefit[e, m] for e, m in pairs) == pytest.approx(brute_force(benefit, limits))


def test_assignment_is_optimal_against_brute_force_on_many_small_cases():
    rng = np.random.default_rng(2025)
    for _ in range(150):
        n_mentees, n_mentors = rng.integers(1, 6), rng.integers(1, 4)
        benefit = rng.integers(0, 6, size=(n_mentees, n_mentors)).astype(float)  # ties and zeros on purpose
        limit = int(rng.integers(1, 4))
        check_pairs(benefit, [limit] * n_mentors, hn.assign(benefit, limit))


@given(
    st.integers(1, 5).flatmap(
        lambda e: st.tuples(
            st.lists(
                st.lists(st.floats(0, 10, allow_nan=False), min_size=3, max_size=3),
                min_size=e,
                max_size=e,
            ),
            st.lists(st.integers(0, 3), min_size=3, max_size=3),
        )
    )
)
def test_assignment_with_a_limit_per_mentor_is_optimal(case):
    rows, limits = case
    benefit = np.array(rows)
    check_pairs(benefit, limits, hn.assign(benefit, limits))


def test_a_mentor_at_capacity_sends_the_next_mentee_elsewhere():
    benefit = [[5.0, 4.0], [5.0, 1.0]]
    assert hn.assign(benefit, 1) == [(0, 1), (1, 0)]  # total 9 beats 5 + 1
    assert hn.assign(benefit, 2) == [(0, 0), (1, 0)]


def test_more_mentees_than_places_leaves_the_least_helped_out():
    assert hn.assign([[3.0], [1.0], [2.0]], 2) == [(0, 0), (2, 0)]


def test_pairs_with_nothing_to_gain_are_dropped_and_bad_shapes_refused():
    assert hn.assign([[0.0, 0.0]], 1) == []
    assert hn.assign(np.zeros((0, 2)), 1) == []
    assert hn.assign([[1.0]], 0) == []
    with pytest.raises(ValueError, match="mentees-by-mentors"):
        hn.assign([1.0, 2.0], 1)
    with pytest.raises(ValueError, match="at least 0"):
        hn.assign([[1.0]], -1)


def test_mentoring_picks_mentors_and_mentees_by_attainment_and_tenure(graph):
    reps = hn.read_reps(REPS)
    m = hn.mentoring(reps, min_attainment=1.0, min_tenure=24, max_mentee_tenure=12, limit=1, graph=graph)
    assert m.mentors == ("Ana", "Ben") and m.mentees == ("Cy", "Dee")
    # Cy (closing 1, discovery 2: needs 1.0, .75) and Dee (2, 4: needs .75, .25);
    # Ana (5, 3): Cy 4 + .75 = 4.75, Dee 2.25; Ben (3, 5): Cy 2 + 2.25 = 4.25, Dee 0.75 + 0.25 = 1.
    assert m.benefit.to_numpy().tolist() == [[4.75, 4.25], [2.25, 1.0]]
    assert m.pairs[["mentee", "mentor", "benefit", "gap"]].values.tolist() == [
        ["Cy", "Ben", 4.25, 5.0],
        ["Dee", "Ana", 2.25, 3.0],
    ]  # 6.5 beats Cy-Ana + Dee-Ben = 5.75
    assert m.total == 6.5
    assert m.pairs.loc[0, "focus"] == "discovery (+3), closing (+2)"
    assert m.pairs["already_helped"].tolist() == [0, 0]
    assert m.unmatched == () and m.idle_mentors == ()


def test_mentoring_counts_help_already_given_and_reports_who_is_left(graph):
    reps = hn.read_reps(REPS)
    log = pd.DataFrame({"helper": ["Ben", "Ben"], "helped": ["Cy", "Cy"], "topic": ["", ""]})
    g = hn.help_network(log, reps.index)
    m = hn.mentoring(reps, min_attainment=1.1, limit=1, graph=g)  # only Ana mentors
    assert m.mentors == ("Ana",) and len(m.pairs) == 1 and m.unmatched == ("Dee",)
    m = hn.mentoring(reps, limit=1, graph=g)
    assert m.pairs.set_index("mentee")["already_helped"].to_dict() == {"Cy": 2, "Dee": 0}


def test_nobody_to_pair_gives_an_empty_table():
    reps = hn.read_reps(REPS)
    m = hn.mentoring(reps, min_attainment=5.0)
    assert m.mentors == () and m.pairs.empty and m.unmatched == ("Cy", "Dee") and m.total == 0.0


# --------------------------------------------------------------------------- the shipped sample
def test_sample_log_and_reps():
    log = hn.read_help_log((data_dir() / "sales" / "help_log.csv").read_text(encoding="utf-8"))
    reps = hn.read_reps((data_dir() / "sales" / "reps.csv").read_text(encoding="utf-8"))
    assert len(log) == 160 and len(reps) == 20
    assert (log["date"].min().isoformat()[:10], log["date"].max().isoformat()[:10]) >= ("2025-01-01", "2025-06-01")
    g = hn.help_network(log, reps.index)
    table = hn.network_table(g)
    assert set(table.index[table["role"] == "isolated"]) == {"Hugo Berg", "Sam Murphy"}
    assert "Victor Lund" in table.index and "Victor Lund" not in reps.index
    m = hn.mentoring(reps, graph=g)
    assert len(m.pairs) == 8 and m.unmatched == ()
    assert m.pairs["mentor"].value_counts().max() <= 2
    assert m.total == pytest.approx(lp_optimum(m.benefit.to_numpy(), 2))


def lp_optimum(benefit: np.ndarray, limit: int) -> float:
    """The optimum of the transportation LP (integral, its constraint matrix being totally unimodular)."""
    from scipy.optimize import linprog

    n_e, n_m = benefit.shape
    rows = [np.kron(np.eye(n_e)[e], np.ones(n_m)) for e in range(n_e)]  # each mentee at most once
    cols = [np.kron(np.ones(n_e), np.eye(n_m)[m]) for m in range(n_m)]  # each mentor at most `limit`
    res = linprog(
        -benefit.ravel(), A_ub=np.array(rows + cols), b_ub=[1] * n_e + [limit] * n_m, bounds=(0, 1), method="highs"
    )
    return -res.fun


def test_the_lp_check_agrees_with_brute_force_on_a_small_case():
    benefit = np.array([[5.0, 4.0, 0.0], [5.0, 1.0, 2.0], [3.0, 3.0, 3.0]])
    assert lp_optimum(benefit, 1) == pytest.approx(brute_force(benefit, [1, 1, 1])) == 12.0
