{#-
  An amount in `currency_column` converted into the project's currency, as an expression: the
  amount itself when the currencies match, else a cross rate via the reporting currency:
  amount x (currency -> reporting on the day) / (project currency -> reporting on the same day).
  `fx_rate_column` is the first rate (value_to_reporting_currency's fx_rate), `project_rate_column`
  the second (1.0 when the project's currency is the reporting currency); null without a rate.
-#}
{% macro value_to_project_currency(amount, currency_column, fx_rate_column, project_currency_column, project_rate_column) -%}
    case
        when upper({{ currency_column }}) = {{ project_currency_column }} then {{ amount }}
        else {{ amount }} * {{ fx_rate_column }} / nullif({{ project_rate_column }}, 0)
    end
{%- endmacro %}
