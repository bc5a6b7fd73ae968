{#-
  History from successive template snapshots (slowly changing dimension, type 2).

  `relation` holds one row per entity per snapshot file version, with the columns key, file_as_of,
  ingested_at, source_file, source_ref and the attribute columns. Per entity and snapshot date
  (file_as_of) the most recently ingested file version wins (ties: the later source_file, then
  source_ref). The result has one row per (key, version): the attributes, version_number,
  valid_from_on (first snapshot date of the version), valid_to_on (last day in force, inclusive: the day
  before the next snapshot that changed or dropped the entity; null while current), is_current,
  last_seen_on and source_file (the file that introduced the version). With version_key, the
  result starts with that column: the version's surrogate key (value_version_key). extra_columns
  (SQL expressions over the attributes, with their alias) come right after the attributes.

  A new version starts when an attribute changes, or when the entity comes back after being absent
  from one or more snapshots. An entity absent from the latest snapshot keeps its last version with
  valid_to_on closed and is_current false.
-#}
{% macro value_snapshot_versions(relation, key, attributes, version_key=none, extra_columns=[]) -%}
    with latest_per_snapshot as (
        select *
        from {{ relation }}
        qualify row_number() over (
            partition by {{ key }}, file_as_of
            order by ingested_at desc, source_file desc, source_ref desc
        ) = 1
    ),

    snapshot_dates as (
        select
            file_as_of,
            lag(file_as_of) over (order by file_as_of) as previous_snapshot_on,
            lead(file_as_of) over (order by file_as_of) as next_snapshot_on
        from (select distinct file_as_of from latest_per_snapshot) as distinct_snapshots
    ),

    hashed as (
        select
            entity.*,
            snapshot_dates.previous_snapshot_on,
            snapshot_dates.next_snapshot_on,
            {{ dbt.hash(dbt.concat(value_coalesced_strings(attributes))) }} as attributes_hash
        from latest_per_snapshot as entity
        inner join snapshot_dates
            on entity.file_as_of = snapshot_dates.file_as_of
    ),

    flagged as (
        select
            hashed.*,
            case
                when lag(file_as_of) over (partition by {{ key }} order by file_as_of) is null then 1
                when lag(file_as_of) over (partition by {{ key }} order by file_as_of)
                    <> previous_snapshot_on then 1
                when lag(attributes_hash) over (partition by {{ key }} order by file_as_of)
                    <> attributes_hash then 1
                else 0
            end as is_new_version
        from hashed
    ),

    numbered as (
        select
            flagged.*,
            cast(sum(is_new_version) over (
                partition by {{ key }} order by file_as_of rows between unbounded preceding and current row
            ) as integer) as version_number
        from flagged
    ),

    bounds as (
        select
            {{ key }} as bound_key,
            version_number as bound_version_number,
            max(file_as_of) as last_seen_on
        from numbered
        group by {{ key }}, version_number
    ),

    ended as (
        select
            bounds.*,
            snapshot_dates.next_snapshot_on as ended_by_snapshot_on
        from bounds
        inner join snapshot_dates
            on bounds.last_seen_on = snapshot_dates.file_as_of
    )

    select
        {% if version_key -%}
        {{ value_version_key('numbered.' ~ key, 'numbered.file_as_of') }} as {{ version_key }},
        {% endif -%}
        numbered.{{ key }},
        {% for column in attributes -%}
        numbered.{{ column }},
        {% endfor -%}
        {% for column in extra_columns -%}
        {{ column }},
        {% endfor -%}
        numbered.version_number,
        numbered.file_as_of as valid_from_on,
        cast({{ dbt.dateadd('day', -1, 'ended.ended_by_snapshot_on') }} as date) as valid_to_on,
        ended.ended_by_snapshot_on is null as is_current,
        ended.last_seen_on,
        numbered.source_file
    from numbered
    inner join ended
        on numbered.{{ key }} = ended.bound_key
        and numbered.version_number = ended.bound_version_number
    where numbered.is_new_version = 1
{%- endmacro %}
