"""docgen: 督导台账与公文生成。

Reads the measure list and the departments' feedback forms, aggregates progress and writes
official documents in GB/T 9704-2012 format.
"""

__version__ = "0.1.0"
