{#-
  "The latest snapshot wins", for template exports where one snapshot states the whole profile of an
  entity (a benefit's plan or shares, a project's alignment, a re-delivered KPI reading): every row
  of `relation` from the latest snapshot that mentions the `partition_by` value, that is the latest
  file_as_of, then the latest ingested_at, then the higher file_sha256. Rows of older snapshots are
  dropped, so an entry left out of the latest snapshot is gone.
-#}
{% macro value_latest_snapshot_rows(relation, partition_by) -%}
    select *
    from {{ relation }}
    qualify dense_rank() over (
        partition by {{ partition_by }}
        order by file_as_of desc, ingested_at desc, file_sha256 desc
    ) = 1
{%- endmacro %}
