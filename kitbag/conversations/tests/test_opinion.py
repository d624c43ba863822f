"""The opinion maths on small matrices checked by hand (docs/reference/polis-math.md, §4.x)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from kitbag.conversations import opinion as op

nan = np.nan


def test_latest_vote_wins_and_rows_follow_first_vote():
    m = op.vote_matrix(participants=[7, 3, 7, 3], statements=[1, 1, 2, 1], votes=[1, -1, 0, 1])
    assert m.participant_ids == (7, 3)
    assert m.statement_ids == (1, 2)
    np.testing.assert_array_equal(m.values, [[1, 0], [1, nan]])


def test_votes_use_the_opendata_sign_and_nothing_else():
    with pytest.raises(ValueError, match="agree"):
        op.vote_matrix(participants=[1], statements=[1], votes=[2])


def test_votes_on_unknown_statements_are_refused():
    with pytest.raises(ValueError, match="unknown statements"):
        op.vote_matrix(participants=[1], statements=[9], votes=[1], statement_ids=[1, 2])


def test_moderated_out_columns_are_zero_for_every_row_even_non_voters():
    values = np.array([[1, nan], [nan, nan]])
    rating = op.rating_matrix(values, np.array([False, True]))
    np.testing.assert_array_equal(rating, [[1, 0], [nan, 0]])


def test_in_conv_threshold_is_min_of_seven_and_statement_count():
    counts = np.array([3, 2, 1] + [0] * 0)
    mask = op.in_conv_mask(vote_counts=counts, previous=None, n_statements=3, greedy_n=0)
    assert mask.tolist() == [True, False, False]


def test_in_conv_is_sticky_and_tops_up_to_fifteen_by_count():
    counts = np.array([7] * 10 + [1, 5, 3, 2, 6, 4, 1])
    previous = np.zeros(17, dtype=bool)
    previous[10] = True  # in before, with 1 vote: stays in
    mask = op.in_conv_mask(vote_counts=counts, previous=previous, n_statements=40)
    assert mask[:11].all()
    # 11 in; four more by highest count: 6, 5, 4, 3 — not the 2 or the late 1.
    assert mask.sum() == 15
    assert mask[[11, 12, 14, 15]].all() and not mask[[13, 16]].any()


def test_pca_finds_the_one_direction_of_a_rank_one_matrix_from_any_start():
    direction = np.array([1.0, -1.0, 1.0])
    rating = np.array([[1, -1, 1], [-1, 1, -1], [1, -1, 1], [-1, 1, -1]], dtype=float)
    center, comps = op.pca(rating, seed=1)
    np.testing.assert_allclose(center, 0)
    cos = abs(comps[0] @ direction) / np.linalg.norm(direction)
    assert cos == pytest.approx(1.0)
    # A warm start from the answer stays there.
    _, warm = op.pca(rating, start=comps)
    assert abs(warm[0] @ comps[0]) == pytest.approx(1.0)
    assert abs(comps[0] @ comps[1]) < 1e-9


def test_pca_imputes_missing_votes_with_the_column_mean():
    rating = np.array([[1, nan], [-1, 1], [1, 1]])
    center, _ = op.pca(rating)
    np.testing.assert_allclose(center, [1 / 3, 1])


def test_projection_scales_up_people_who_voted_on_few_statements():
    rating = np.array([[1, nan, nan, nan], [1, 1, -1, 1]])
    center = np.zeros(4)
    comps = np.array([[1.0, 0, 0, 0], [0, 1.0, 0, 0]])
    points = op.project(rating, center, comps)
    # sqrt(4/1) * 1 for the first; sqrt(4/4) * (1, 1) for the second.
    np.testing.assert_allclose(points, [[2, 0], [1, 1]])


def test_extremity_is_the_norm_of_an_agree_only_virtual_participant():
    center = np.array([0.5, -0.5])
    comps = np.array([[0.6, 0.8], [0.8, -0.6]])
    e = op.extremity(center, comps)
    # statement 0: (1-0.5)*(0.6, 0.8)*sqrt2 -> 0.5*sqrt2; statement 1: 1.5*(0.8,-0.6)*sqrt2.
    np.testing.assert_allclose(e, [0.5 * math.sqrt(2), 1.5 * math.sqrt(2)])


def test_kmeans_starts_from_the_first_distinct_rows_in_order():
    points = np.array([[0, 0], [0, 0], [5, 5], [0, 1], [5, 6]], dtype=float)
    np.testing.assert_array_equal(op.first_distinct(points, 2), [[0, 0], [5, 5]])
    centres, labels, _ = op.kmeans(points, op.first_distinct(points, 2))
    assert labels.tolist() == [0, 0, 1, 0, 1]
    np.testing.assert_allclose(centres, [[0, 1 / 3], [5, 5.5]])


def test_kmeans_weights_pull_the_centre():
    points = np.array([[0, 0], [3, 0]], dtype=float)
    centres, _, _ = op.kmeans(points, points[:1], weights=np.array([2.0, 1.0]))
    np.testing.assert_allclose(centres, [[1, 0]])


def test_silhouette_by_hand_and_a_lone_member_scores_zero():
    points = np.array([[0, 0], [1, 0], [10, 0]], dtype=float)
    s = op.silhouette(points, np.array([0, 0, 1]))
    assert s == pytest.approx((0.9 + 8 / 9 + 0) / 3)


def test_max_k_grows_with_base_clusters_up_to_five():
    assert [op.max_k(n) for n in (5, 12, 24, 36, 100)] == [2, 3, 4, 5, 5]


def test_k_smoother_publishes_a_new_k_after_four_runs_in_a_row():
    state = op.smooth_k(2, None)
    assert state["smoothed_k"] == 2  # the first run publishes what it finds
    for expected in (2, 2, 2, 3):
        state = op.smooth_k(3, state)
        assert state["smoothed_k"] == expected
    state = op.smooth_k(2, state)
    assert state == {"last_k": 2, "last_k_count": 1, "smoothed_k": 3}


def test_proportion_tests_by_hand():
    assert op.prop_test(np.array(3.0), np.array(4.0)) == pytest.approx(
        2 * math.sqrt(5) * (4 / 5 - 0.5)
    )
    z = op.two_prop_test(np.array(3.0), np.array(0.0), np.array(4.0), np.array(4.0))
    assert z == pytest.approx(0.6 / math.sqrt(0.5 * 0.5 * 0.4))
    assert op.two_prop_test(np.array(0.0), np.array(0.0), np.array(0.0), np.array(0.0)) == 0.0


def test_repness_ratio_and_selection_by_hand():
    # Group 0 (4 people) agrees with statement 10, group 1 (4 people) disagrees; 11 is split.
    values = np.array([[1, 1], [1, -1], [1, 1], [1, -1], [-1, 1], [-1, -1], [-1, 1], [-1, -1]])
    labels = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    na, nd, ns = op.group_counts(values.astype(float), labels, 2)
    stats = op.repness_stats(na, nd, ns)
    assert stats["pa"][0, 0] == pytest.approx(5 / 6)
    assert stats["ra"][0, 0] == pytest.approx((5 / 6) / (1 / 6))
    assert stats["rat"][0, 0] == pytest.approx(
        op.two_prop_test(*np.array([[4.0], [0.0], [4.0], [4.0]]))[0]
    )
    rep0 = op.select_representative(stats, 0, [10, 11], skip=())
    rep1 = op.select_representative(stats, 1, [10, 11], skip=())
    assert [(r["statement"], r["repful"]) for r in rep0] == [(10, "agree")]
    # Nothing qualifies as group 1's best agree (pa = 1/2 on 11, ra = 1): its disagreement alone.
    assert [(r["statement"], r["repful"]) for r in rep1] == [(10, "disagree")]
    assert rep1[0]["metric"] == pytest.approx(
        stats["rd"][1, 0] * stats["rdt"][1, 0] * stats["pd"][1, 0] * stats["pdt"][1, 0]
    )
    assert op.select_representative(stats, 0, [10, 11], skip={10, 11}) == []


def test_consensus_uses_everyone_and_skips_moderated_statements():
    values = np.array([[1, -1, 1], [1, -1, 1], [1, -1, 1], [1, -1, -1], [1, -1, nan]])
    out = op.consensus(values, [1, 2, 3], skip={3})
    assert [c["statement"] for c in out["agree"]] == [1]
    assert [c["statement"] for c in out["disagree"]] == [2]
    assert out["agree"][0]["p"] == pytest.approx(6 / 7)


def test_group_informed_consensus_is_the_product_of_smoothed_agree_shares():
    gac = op.group_informed_consensus(np.array([[2.0], [1.0]]), np.array([[2.0], [3.0]]))
    assert gac[0] == pytest.approx(3 / 4 * 2 / 5)


def test_priority_by_hand():
    p = op.priority(
        np.array([0.0, 4.0]), np.array([0.0, 1.0]), np.array([0.0, 5.0]), np.array([0.0, 1.0])
    )
    assert p[0] == pytest.approx((0.5 * 1 * 0.5 * 9) ** 2)
    # A=4, D=1, S=5: p_pass=1/7, p_agree=5/7, E=1, decay 1+8/2.
    assert p[1] == pytest.approx(((6 / 7) * 2 * (5 / 7) * 5) ** 2)


def _two_camps(n_per_camp: int = 20, n_statements: int = 10, seed: int = 3) -> op.Matrix:
    rng = np.random.default_rng(seed)
    rows, cols, votes = [], [], []
    for p in range(2 * n_per_camp):
        camp = 1 if p % 2 else -1
        for s in range(n_statements):
            if rng.random() < 0.95:
                agree = camp if s % 2 else -camp
                rows.append(p)
                cols.append(s)
                votes.append(agree if rng.random() < 0.9 else -agree)
    return op.vote_matrix(participants=rows, statements=cols, votes=votes)


def test_analysis_finds_two_planted_camps_in_both_modes():
    m = _two_camps()
    for mode in ("polis", "improved"):
        result = op.analyse(m, parameters=op.Parameters(mode=mode)).result
        groups = op.participant_groups(result)
        assert result["k"] == 2, mode
        assert len(groups) >= 35
        for p in groups:
            assert groups[p] == groups[p % 2], (mode, p)


def test_the_same_inputs_and_state_give_the_same_result():
    m = _two_camps()
    first = op.analyse(m)
    again = op.analyse(m)
    assert json.dumps(first.result, sort_keys=True) == json.dumps(again.result, sort_keys=True)
    # The state survives a JSON round trip (it is stored in the database between runs).
    state = json.loads(json.dumps(first.state))
    a = op.analyse(m, state=state).result
    b = op.analyse(m, state=json.loads(json.dumps(first.state))).result
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    assert op.fingerprint(
        m, moderated_out=(), meta=(), parameters=op.Parameters(), state=state
    ) == (op.fingerprint(m, moderated_out=(), meta=(), parameters=op.Parameters(), state=state))


def test_the_smoother_state_carries_across_runs():
    m = _two_camps()
    state = {"smoother": {"last_k": 3, "last_k_count": 2, "smoothed_k": 3}}
    first = op.analyse(m, state=state)
    assert first.result["this_k"] == 2
    assert first.result["k"] == 3
    assert "k-smoother kept k=3" in first.result["k_reason"]
    s = first.state
    for _ in range(3):
        s = op.analyse(m, state=s).state
    assert s["smoother"] == {"last_k": 2, "last_k_count": 4, "smoothed_k": 2}


def test_meta_statements_are_zeroed_and_routed_first():
    m = _two_camps()
    meta = [0]
    plain = op.analyse(m).result
    with_meta = op.analyse(m, meta=meta).result
    assert with_meta["priority"]["0"] == op.META_PRIORITY
    assert with_meta["pca"]["center"][0] == 0.0
    assert plain["pca"]["center"][0] != 0.0
    assert all(r["statement"] != 0 for g in with_meta["groups"] for r in g["representative"])


def test_moderated_out_statements_are_never_routed():
    result = op.analyse(_two_camps(), moderated_out=[1]).result
    assert result["priority"]["1"] == 0.0


def test_routing_priorities_differ_between_statements():
    # The 2025 Polis bug gave every statement the same priority, making routing uniform.
    result = op.analyse(_two_camps()).result
    assert len({round(p, 9) for p in result["priority"].values()}) > 1


def test_improved_mode_refuses_groups_smaller_than_the_minimum():
    m = _two_camps()
    params = op.Parameters(mode="improved", min_group_size=30)
    result = op.analyse(m, parameters=params).result
    assert set(result["rejected_k"]) == {"2", "3", "4", "5"} & set(result["silhouettes"])
    assert result["k"] == 1


# History: Polis's k is its smoother's over every run it made (§4.5, reference §4.12) -------------


def test_a_run_takes_in_every_vote_cast_within_a_second_of_the_first_since_the_last_run():
    assert op.tick_ends([0, 500, 1400, 5000, 5001, 9000], interval_ms=1000) == [2, 3, 5, 6]
    assert op.tick_ends([]) == []


def test_a_history_over_its_budget_is_replayed_with_longer_intervals_between_runs():
    # Fifty votes three seconds apart: fifty runs a second after each, ten runs at 10 s or fewer.
    timestamps = list(range(0, 150_000, 3000))
    assert op.replay_schedule(timestamps, max_ticks=50) == (list(range(1, 51)), 1000)
    ends, interval = op.replay_schedule(timestamps, max_ticks=10)
    assert interval == 30_000 and len(ends) <= 10 and ends[-1] == 50


def test_a_history_too_long_for_any_interval_is_thinned_evenly_keeping_its_last_run():
    timestamps = [n * 100_000_000 for n in range(50)]
    ends, interval = op.replay_schedule(timestamps, max_ticks=10)
    assert interval == op.LONGER_INTERVALS_MS[-1]
    assert len(ends) == 10 and ends[0] == 1 and ends[-1] == 50


def test_a_larger_conversation_replays_fewer_runs():
    assert op.replay_budget(200, 50) == op.MAX_REPLAY_TICKS
    bowling_green = 2_031 * 896**2 + 2 * 896**3
    assert op.replay_budget(2_031, 896) == op.REPLAY_WORK // bowling_green
    assert op.replay_budget(6_289, 2_161) == 30
    assert op.replay_budget(100_000, 5_000) == op.MIN_REPLAY_TICKS


def _camps_then_a_late_third(seed: int = 5) -> op.VoteHistory:
    """Two camps arrive one participant a minute; a third camp arrives all at once at the end."""
    rng = np.random.default_rng(seed)
    ps, ss, vs, ts = [], [], [], []
    t = 0
    for p in range(60):
        if p <= 40:
            t += 60_000
        for s in range(10):
            if p >= 40:
                agree = 1.0 if s < 5 else -1.0
            else:
                agree = (1.0 if s % 2 else -1.0) * (1 if p % 2 else -1)
            ps.append(p)
            ss.append(s)
            vs.append(agree if rng.random() < 0.9 else -agree)
            ts.append(t + s)
    return op.VoteHistory(ps, ss, vs, ts)


def test_replaying_the_history_keeps_the_k_the_smoother_had_published():
    history = _camps_then_a_late_third()
    statements = list(range(10))
    m = op.vote_matrix(
        participants=history.participants,
        statements=history.statements,
        votes=history.votes,
        statement_ids=statements,
    )
    # One run on the final votes sees three camps...
    assert op.analyse(m).result["k"] == 3
    # ...but a third camp that has led one run in a row does not yet move Polis's published k.
    replay = op.replay(history, statement_ids=statements)
    assert (replay.runs, replay.interval_ms) == (40, 1000)
    replayed = op.analyse(m, state=replay.state).result
    assert (replayed["this_k"], replayed["k"]) == (3, 2)
    assert "k-smoother kept k=2" in replayed["k_reason"]


def test_a_replay_carries_the_same_state_as_a_full_run_after_each_pause():
    history = _camps_then_a_late_third()
    statements = list(range(10))
    state = op.replay(history, statement_ids=statements, meta=[0], moderated_out=[1]).state
    expected: dict = {}
    for end in op.tick_ends(history.timestamps)[:-1]:
        m = op.vote_matrix(
            participants=history.participants[:end],
            statements=history.statements[:end],
            votes=history.votes[:end],
            statement_ids=statements,
        )
        expected = op.analyse(m, meta=[0], moderated_out=[1], state=expected).state
    assert json.dumps(state, sort_keys=True) == json.dumps(expected, sort_keys=True)


def test_improved_mode_has_no_history_to_replay():
    history = _camps_then_a_late_third()
    params = op.Parameters(mode="improved")
    assert op.replay(history, statement_ids=list(range(10)), parameters=params).runs == 0


def test_a_state_only_run_carries_what_a_full_run_carries():
    m = _two_camps()
    full, light = op.analyse(m), op.analyse(m, state_only=True)
    assert json.dumps(light.state, sort_keys=True) == json.dumps(full.state, sort_keys=True)
    assert light.result["k"] == full.result["k"] == 2
