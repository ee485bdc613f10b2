package io.zkarrow.presto;

import com.facebook.presto.spi.connector.ConnectorTransactionHandle;

public enum ZkArrowTransactionHandle
        implements ConnectorTransactionHandle
{
    INSTANCE
}
