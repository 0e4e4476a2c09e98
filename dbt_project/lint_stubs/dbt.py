"""Stand-ins for dbt's cross-database macros, so sqlfluff's jinja templater can render models.

sqlfluff lints the SQL it renders; these return SQL of the same shape as dbt-duckdb's macros,
without a warehouse connection. They are used by linting only, never by dbt.
"""


def dateadd(datepart: str, interval: object, from_date_or_timestamp: str) -> str:
    """Render like `dbt.dateadd`."""
    return f"date_add({from_date_or_timestamp}, interval ({interval}) {datepart})"


def date_trunc(datepart: str, date: str) -> str:
    """Render like `dbt.date_trunc`."""
    return f"date_trunc('{datepart}', {date})"


def datediff(first_date: str, second_date: str, datepart: str) -> str:
    """Render like `dbt.datediff`."""
    return f"date_diff('{datepart}', {first_date}, {second_date})"


def bool_or(expression: str) -> str:
    """Render like `dbt.bool_or`."""
    return f"bool_or({expression})"


def type_string() -> str:
    """Render like `dbt.type_string`."""
    return "varchar"


def type_bigint() -> str:
    """Render like `dbt.type_bigint`."""
    return "bigint"


def type_int() -> str:
    """Render like `dbt.type_int`."""
    return "integer"


def type_float() -> str:
    """Render like `dbt.type_float`."""
    return "double"


def type_numeric() -> str:
    """Render like `dbt.type_numeric`."""
    return "decimal(28, 6)"


def type_boolean() -> str:
    """Render like `dbt.type_boolean`."""
    return "boolean"


def type_timestamp() -> str:
    """Render like `dbt.type_timestamp`."""
    return "timestamp"
