{#- The reporting currency: var reporting_currency, upper case (EUR by default). -#}
{% macro value_reporting_currency() -%}
    {{ var('reporting_currency', 'EUR') | upper }}
{%- endmacro %}
