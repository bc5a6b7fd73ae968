{#- A project's benefits to plan, as an aggregate: the realization ratios of its benefits (in
    relation `benefits`: is_dis_benefit, realization_ratio) weighted by each benefit's share in the
    project (relation `attribution`: share), over the benefits that are no dis-benefit and have a
    ratio; null without any. The one weighting of mart_value_scorecard and mart_value_optimization. -#}
{% macro value_share_weighted_realization_ratio(benefits, attribution='attribution') -%}
    sum(case when not {{ benefits }}.is_dis_benefit and {{ benefits }}.realization_ratio is not null
        then {{ benefits }}.realization_ratio * {{ attribution }}.share end)
    / nullif(sum(case when not {{ benefits }}.is_dis_benefit and {{ benefits }}.realization_ratio is not null
        then {{ attribution }}.share end), 0)
{%- endmacro %}
