"""The typed rows of analysis_py.rows are the analysis tables' columns, in the tables' order."""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime

import pytest

from analysis_py import store
from analysis_py.rows import (
    MetricEstimateRow,
    StatTestRow,
    SurvivalCurveRow,
    TopicRows,
)


@pytest.mark.parametrize(
    ("table", "row_class"),
    [
        ("stat_tests", StatTestRow),
        ("metric_estimates", MetricEstimateRow),
        ("survival_curves", SurvivalCurveRow),
    ],
)
def test_each_row_class_has_its_tables_columns(table: str, row_class: type) -> None:
    assert [column.name for column in fields(row_class)] == [
        name for name, _ in store.TABLES[table]
    ]


def test_rows_become_records_keyed_by_column() -> None:
    point = SurvivalCurveRow(
        topic="t",
        question_group="topic",
        minutes=5.0,
        survival_probability=0.5,
        ci_low=0.25,
        ci_high=0.75,
        n_at_risk=2,
    )
    estimate = MetricEstimateRow(
        topic="t",
        question_group="baseline",
        tag=None,
        metric="mean_response_minutes",
        estimate=3.0,
        ci_low=2.0,
        ci_high=4.0,
        ci_method="bootstrap",
        n=7,
        method="sample",
        computed_at=datetime(2023, 6, 30),
    )
    tables = TopicRows(metric_estimates=[estimate], survival_curves=[point]).tables()
    assert tables["stat_tests"] == []
    assert tables["survival_curves"] == [
        {
            "topic": "t",
            "question_group": "topic",
            "minutes": 5.0,
            "survival_probability": 0.5,
            "ci_low": 0.25,
            "ci_high": 0.75,
            "n_at_risk": 2,
        }
    ]
    assert tables["metric_estimates"][0]["method"] == "sample"
    assert list(tables["metric_estimates"][0]) == [
        name for name, _ in store.TABLES["metric_estimates"]
    ]
