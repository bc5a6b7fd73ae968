{#- Continuous percentile (linear interpolation) of expr at fraction p (0..1), as an aggregate.
    DuckDB: quantile_cont; Spark: percentile (also interpolating). -#}
{% macro percentile_cont(expr, p) -%}
    {%- if target.type == 'spark' or target.type == 'databricks' -%}
        percentile({{ expr }}, {{ p }})
    {%- else -%}
        quantile_cont({{ expr }}, {{ p }})
    {%- endif -%}
{%- endmacro %}
