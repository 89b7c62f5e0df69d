"""The DuckDB file: connecting, running SQL files, the catalog comments, the atomic publish, the run lock.

    session.py   connect (every connection gets sql/session.sql), has_table
    sqlfiles.py  reading and running sql/**.sql with bound parameters; SQL file headers
    catalog.py   the COMMENT on every table and column (sql/catalog/) and the data dictionary
    publish.py   the atomic publish of the working file to the published one
    lock.py      the run lock: one run at a time per warehouse

`from pipeline import warehouse; warehouse.connect(path)` and `from pipeline.warehouse import has_table`
work as before; the others are imported by module (`from pipeline.warehouse import catalog`).
"""

from pipeline.warehouse.session import connect, has_table, prepare

__all__ = ["connect", "has_table", "prepare"]
