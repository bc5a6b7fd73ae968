{#- A relation of integers n = 0 .. 10^digits - 1 from a cross join of digits: portable, no
    generate_series / unnest / range. Use as a subquery: `from ({{ integer_series(5) }}) as s`. -#}
{% macro integer_series(digits=5) -%}
    select
        {% for i in range(digits) -%}
        d{{ i }}.d * {{ 10 ** i }}{{ ' +' if not loop.last }}
        {% endfor -%}
        as n
    from
        {% for i in range(digits) -%}
        (
            select 0 as d union all select 1 union all select 2 union all select 3 union all select 4
            union all select 5 union all select 6 union all select 7 union all select 8 union all select 9
        ) as d{{ i }}{{ ',' if not loop.last }}
        {% endfor %}
{%- endmacro %}
