package io.zkarrow.bench.heap;

import com.facebook.presto.spi.connector.Connector;
import com.facebook.presto.spi.connector.ConnectorMetadata;
import com.facebook.presto.spi.connector.ConnectorPageSinkProvider;
import com.facebook.presto.spi.connector.ConnectorPageSourceProvider;
import com.facebook.presto.spi.connector.ConnectorSplitManager;
import com.facebook.presto.spi.connector.ConnectorTransactionHandle;
import com.facebook.presto.spi.transaction.IsolationLevel;

/**
 * One catalog around one {@link HeapStore}. Transactions isolate nothing: a write becomes visible
 * when its query finishes (finishCreateTable / finishInsert), which is all the benchmark needs.
 */
final class HeapConnector implements Connector {
    private final HeapStore store;

    HeapConnector(HeapStore store) {
        this.store = store;
    }

    @Override
    public ConnectorTransactionHandle beginTransaction(
            IsolationLevel isolationLevel, boolean readOnly) {
        return HeapTransactionHandle.INSTANCE;
    }

    @Override
    public ConnectorMetadata getMetadata(ConnectorTransactionHandle transaction) {
        return new HeapMetadata(store);
    }

    @Override
    public ConnectorSplitManager getSplitManager() {
        return new HeapSplitManager(store);
    }

    @Override
    public ConnectorPageSourceProvider getPageSourceProvider() {
        return new HeapPageSourceProvider(store);
    }

    @Override
    public ConnectorPageSinkProvider getPageSinkProvider() {
        return new HeapPageSinkProvider(store);
    }
}
