package io.zkarrow.bench.heap;

import com.facebook.presto.spi.connector.ConnectorTransactionHandle;

/** The only transaction handle: the connector keeps no state per transaction. */
public enum HeapTransactionHandle implements ConnectorTransactionHandle {
    INSTANCE
}
