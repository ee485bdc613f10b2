package io.zkarrow.presto;

import com.facebook.presto.spi.connector.Connector;
import com.facebook.presto.spi.connector.ConnectorMetadata;
import com.facebook.presto.spi.connector.ConnectorPageSourceProvider;
import com.facebook.presto.spi.connector.ConnectorSplitManager;
import com.facebook.presto.spi.connector.ConnectorTransactionHandle;
import com.facebook.presto.spi.procedure.Procedure;
import com.facebook.presto.spi.session.PropertyMetadata;
import com.facebook.presto.spi.transaction.IsolationLevel;

import java.util.List;
import java.util.Set;

import static java.util.Objects.requireNonNull;

public final class ZkArrowConnector
        implements Connector
{
    private final ZkArrowClient client;
    private final ZkArrowSplitManager splitManager;
    private final ZkArrowPageSourceProvider pageSourceProvider = new ZkArrowPageSourceProvider();
    private final Set<Procedure> procedures;

    public ZkArrowConnector(ZkArrowClient client)
    {
        this.client = requireNonNull(client, "client is null");
        this.splitManager = new ZkArrowSplitManager(client);
        this.procedures = new ZkArrowProcedures(client).getProcedures();
    }

    @Override
    public ConnectorTransactionHandle beginTransaction(IsolationLevel isolationLevel, boolean readOnly)
    {
        return ZkArrowTransactionHandle.INSTANCE;
    }

    @Override
    public ConnectorMetadata getMetadata(ConnectorTransactionHandle transactionHandle)
    {
        return new ZkArrowMetadata(client);
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
