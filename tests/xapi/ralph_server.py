"""Ralph's LRS server for the tests: `python -m tests.xapi.ralph_server <port>`.

Ralph's file-system backend creates its statements file on the first write and refuses
every later one ("already exists and overwrite is not allowed"), as it is made for
one-off imports; the tests need a store that keeps taking statements, so it appends."""

import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

if __name__ == "__main__":
    uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
