import { describe, expect, it } from 'vitest';
import { mysqlQueryProblem } from './mysql-connection.js';

describe('mysqlQueryProblem', () => {
  it.each([
    'select * from sales',
    '  SELECT 1 AS k',
    'with recent as (select * from sales) select * from recent',
    '(select 1 as k)',
    '/* the model */ select * from sales',
    '-- the model\nselect * from sales',
  ])('lets the query %j run', (query) => {
    expect(mysqlQueryProblem(query)).toBeUndefined();
  });

  it.each([
    [
      "BEGIN NOT ATOMIC SET SESSION TRANSACTION READ WRITE; INSERT INTO log VALUES ('x'); SELECT 1 AS k; END",
      'the query must be a SELECT',
    ],
    ['CALL p_rw()', 'the query must be a SELECT'],
    ['SET GLOBAL max_connect_errors = 101', 'the query must be a SELECT'],
    ["/* hidden */ insert into log values ('x')", 'the query must be a SELECT'],
    ["select 1 as k into outfile '/tmp/x.txt'", 'may not write files'],
    ["select 1 as k into/**/outfile '/tmp/x.txt'", 'may not write files'],
    ["select 1 as k /*!into*/ outfile '/tmp/x.txt'", 'may not write files'],
    ["select 1 as k into -- c\noutfile '/tmp/x.txt'", 'may not write files'],
    ["select 1 as k into dumpfile '/tmp/x.bin'", 'may not write files'],
    ["select load_file('/etc/hostname') as k", "may not read the database host's files"],
  ])('refuses %j', (query, reason) => {
    expect(mysqlQueryProblem(query)).toContain(reason);
  });
});
