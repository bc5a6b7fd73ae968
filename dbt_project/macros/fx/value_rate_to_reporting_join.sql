{#- The left joins of the rate of `relation`.`currency_column` on `date_column` (or the last rate
    when the date is after it) as `<prefix>_fx`: see value_rate_to_reporting_columns. -#}
{% macro value_rate_to_reporting_join(relation, currency_column, date_column, prefix) -%}
    left join fx_bounds as {{ prefix }}_bounds
        on {{ relation }}.{{ currency_column }} = {{ prefix }}_bounds.currency
    left join fx as {{ prefix }}_fx
        on {{ relation }}.{{ currency_column }} = {{ prefix }}_fx.currency
        and {{ prefix }}_fx.rate_on = case
            when {{ relation }}.{{ date_column }} > {{ prefix }}_bounds.last_rate_on
                then {{ prefix }}_bounds.last_rate_on
            else {{ relation }}.{{ date_column }}
        end
{%- endmacro %}
