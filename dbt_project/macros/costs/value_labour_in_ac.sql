{#- Whether internal labour cost counts in actual cost (AC): dbt var labour_cost_in_ac (default true).
    False for an organisation that already posts its people's time to the GL: AC is then GL only
    and labour is shown beside it (mart_reconciliation, the *_labour_* columns), never added. -#}
{% macro value_labour_in_ac() -%}
    {{ return(var('labour_cost_in_ac', true) in [true, 'true', 'True', 1, '1']) }}
{%- endmacro %}
