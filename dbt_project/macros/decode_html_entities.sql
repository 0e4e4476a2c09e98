{#-
    The API sends titles HTML-encoded (`&#39;`, `&quot;`, `&amp;`): decode the named entities it uses
    and, on DuckDB, every decimal `&#NNN;` in one pass, so `&amp;lt;` becomes `&lt;`, not `<`.
-#}
{% macro decode_html_entities(expression) -%}
    {{ return(adapter.dispatch('decode_html_entities')(expression)) }}
{%- endmacro %}

{#- Engines without list lambdas: nested replaces of the common entities, `&amp;` last. -#}
{% macro default__decode_html_entities(expression) -%}
    {%- set pairs = [
        ('&#39;', "''"), ('&#34;', '"'), ('&quot;', '"'), ('&apos;', "''"),
        ('&lt;', '<'), ('&gt;', '>'), ('&nbsp;', ' '), ('&amp;', '&')
    ] -%}
    {%- set ns = namespace(sql=expression) -%}
    {%- for entity, text in pairs -%}
        {%- set ns.sql = "replace(" ~ ns.sql ~ ", '" ~ entity ~ "', '" ~ text ~ "')" -%}
    {%- endfor -%}
    {{ ns.sql }}
{%- endmacro %}

{#- Split at `&`; a later part starting `name;` or `#NNN;` is the entity's text, then the rest. -#}
{% macro duckdb__decode_html_entities(expression) -%}
    {%- set named = [
        ('quot', '"'), ('apos', "''"), ('lt', '<'), ('gt', '>'), ('nbsp', ' '), ('amp', '&')
    ] -%}
    array_to_string(list_transform(string_split({{ expression }}, '&'), (part, i) -> case
        when i = 1 then part
        {%- for name, text in named %}
        when starts_with(part, '{{ name }};') then '{{ text }}' || part[{{ name | length + 2 }}:]
        {%- endfor %}
        when regexp_matches(part, '^#[0-9]{2,7};')
            and cast(regexp_extract(part, '^#([0-9]+);', 1) as integer) between 32 and 55295
            then chr(cast(regexp_extract(part, '^#([0-9]+);', 1) as integer))
            || regexp_replace(part, '^#[0-9]+;', '')
        else '&' || part
    end), '')
{%- endmacro %}

{#-
    The DuckDB algorithm with Spark's higher-order functions: transform's index is 0-based, and
    chr() is ASCII only, so a code point becomes text through its UTF-32 bytes.
-#}
{% macro spark__decode_html_entities(expression) -%}
    {%- set named = [
        ('quot', '"'), ('apos', "\\'"), ('lt', '<'), ('gt', '>'), ('nbsp', ' '), ('amp', '&')
    ] -%}
    {%- set code_point = "cast(regexp_extract(part, '^#([0-9]+);', 1) as int)" -%}
    array_join(transform(split({{ expression }}, '&', -1), (part, i) -> case
        when i = 0 then part
        {%- for name, text in named %}
        when startswith(part, '{{ name }};') then '{{ text }}' || substr(part, {{ name | length + 2 }})
        {%- endfor %}
        when part rlike '^#[0-9]{2,7};'
            and {{ code_point }} between 32 and 55295
            then decode(unhex(lpad(hex({{ code_point }}), 8, '0')), 'UTF-32')
            || regexp_replace(part, '^#[0-9]+;', '')
        else '&' || part
    end), '')
{%- endmacro %}
