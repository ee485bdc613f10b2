package io.zkarrow.presto;

import com.facebook.presto.spi.SystemTable;
import com.facebook.presto.spi.connector.Connector;
import com.facebook.presto.spi.connector.ConnectorCommitHandle;
import com.facebook.presto.spi.connector.ConnectorMetadata;
import com.facebook.presto.spi.connector.ConnectorPageSinkProvider;
import com.facebook.presto.spi.connector.ConnectorPageSourceProvider;
import com.facebook.presto.spi.connector.ConnectorSplitManager;
import com.facebook.presto.spi.connector.ConnectorTransactionHandle;
import com.facebook.presto.spi.procedure.Procedure;
import com.facebook.presto.spi.session.PropertyMetadata;
import com.facebook.presto.spi.transaction.IsolationLevel;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

public final class ZkArrowConnector
        implements Connector
{
    private final ZkArrowClient client;
    private final ZkArrowSplitManager splitManager;
    private final ZkArrowPageSourceProvider pageSourceProvider = new ZkArrowPageSourceProvider();
    private final Set<Procedure> procedures;
    private final Set<SystemTable> systemTables;
    private final ZkArrowTableOps ops;
    private final ZkArrowPageSinkProvider pageSinkProvider = new ZkArrowPageSinkProvider();
    private final Map<ConnectorTransactionHandle, ZkArrowMetadata> transactions = new ConcurrentHashMap<>();

    public ZkArrowConnector(ZkArrowClient client)
    {
        this(client, null);
    }

    /** {@code nodeId}: this Presto node's identifier, the {@code node_id} of the per-node system tables. */
    public ZkArrowConnector(ZkArrowClient client, String nodeId)
    {
        this.client = requireNonNull(client, "client is null");
        this.splitManager = new ZkArrowSplitManager(client);
        this.procedures = new ZkArrowProcedures(client).getProcedures();
        this.systemTables = new ZkArrowSystemTables(client, nodeId).getSystemTables();
        this.ops = new ZkArrowTableOps(client, nodeId);
    }

    @Override
    public Set<SystemTable> getSystemTables()
    {
        return systemTables;
    }

    @Override
    public ConnectorTransactionHandle beginTransaction(IsolationLevel isolationLevel, boolean readOnly)
    {
        ZkArrowTransactionHandle transaction = new ZkArrowTransactionHandle();
        transactions.put(transaction, new ZkArrowMetadata(client, ops));
        return transaction;
    }

    @Override
    public ConnectorMetadata getMetadata(ConnectorTransactionHandle transactionHandle)
    {
        return transactions.computeIfAbsent(transactionHandle, handle -> new ZkArrowMetadata(client, ops));
    }

    @Override
    public ConnectorCommitHandle commit(ConnectorTransactionHandle transactionHandle)
    {
        transactions.remove(transactionHandle);
        return Connector.super.commit(transactionHandle);
    }

    /** Removes what an unpublished CREATE TABLE AS of the transaction left (its sinks already deleted their files). */
    @Override
    public void rollback(ConnectorTransactionHandle transactionHandle)
    {
        ZkArrowMetadata metadata = transactions.remove(transactionHandle);
        if (metadata != null) {
            metadata.rollback();
        }
    }

    @Override
    public ConnectorPageSinkProvider getPageSinkProvider()
    {
        return pageSinkProvider;
    }

    @Override
    public List<PropertyMetadata<?>> getTableProperties()
    {
        return ZkArrowTableProperties.getTableProperties();
    }

    @Override
    public ConnectorSplitManager getSplitManager()
    {
        return splitManager;
    }

    @Override
    public ConnectorPageSourceProvider getPageSourceProvider()
    {
        return pageSourceProvider;
    }

    @Override
    public Set<Procedure> getProcedures()
    {
        return procedures;
    }

    @Override
    public List<PropertyMetadata<?>> getSessionProperties()
    {
        return ZkArrowSessionProperties.getSessionProperties();
    }

    @Override
    public void shutdown()
    {
        client.close();
    }
}
