{#- A project counts as closed when its status says so or it has a closed date. -#}
{% macro registry_is_closed(status='status', closed_on='closed_on') -%}
    coalesce({{ status }} in ('closed', 'cancelled') or {{ closed_on }} is not null, false)
{%- endmacro %}
