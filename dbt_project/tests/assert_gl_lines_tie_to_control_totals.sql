-- Every GL file (latest ingested version) ties out to the cent: the control totals ingest parsed
-- from the file equal the sum and count of that file's lines in fct_gl_line, per currency.
-- Fails with the mismatching (file, currency) rows of mart_reconciliation.

select *
from {{ ref('mart_reconciliation') }}
where check_name = 'gl_control_total'
    and is_issue
