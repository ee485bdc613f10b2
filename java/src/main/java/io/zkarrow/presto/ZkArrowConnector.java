package io.zkarrow.presto;

import static java.util.Objects.requireNonNull;

import com.facebook.presto.spi.ConnectorPlanOptimizer;
import com.facebook.presto.spi.SystemTable;
import com.facebook.presto.spi.connector.Connector;
import com.facebook.presto.spi.connector.ConnectorCommitHandle;
import com.facebook.presto.spi.connector.ConnectorMetadata;
import com.facebook.presto.spi.connector.ConnectorPageSinkProvider;
import com.facebook.presto.spi.connector.ConnectorPageSourceProvider;
import com.facebook.presto.spi.connector.ConnectorPlanOptimizerProvider;
import com.facebook.presto.spi.connector.ConnectorSplitManager;
import com.facebook.presto.spi.connector.ConnectorTransactionHandle;
import com.facebook.presto.spi.procedure.Procedure;
import com.facebook.presto.spi.session.PropertyMetadata;
import com.facebook.presto.spi.transaction.IsolationLevel;

import io.zkarrow.presto.handle.ZkArrowTransactionHandle;
import io.zkarrow.presto.metadata.ZkArrowMetadata;
import io.zkarrow.presto.metadata.ZkArrowSessionProperties;
import io.zkarrow.presto.metadata.ZkArrowTableProperties;
import io.zkarrow.presto.protocol.ZkArrowClient;
import io.zkarrow.presto.scan.ZkArrowLimitPushdown;
import io.zkarrow.presto.system.ZkArrowSystemTables;
import io.zkarrow.presto.write.ZkArrowWrites;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One zkarrow catalog. Its parts are built once by {@link ZkArrowConnectorFactory}; only the
 * metadata is per transaction (it caches the table records the transaction read).
 */
public final class ZkArrowConnector implements Connector {
    private final ZkArrowClient client;
    private final ZkArrowWrites writes;
    private final ZkArrowSystemTables systemTables;
    private final ConnectorSplitManager splitManager;
    private final ConnectorPageSourceProvider pageSourceProvider;
    private final ConnectorPageSinkProvider pageSinkProvider;
    private final Set<Procedure> procedures;
    private final Map<ConnectorTransactionHandle, ZkArrowMetadata> transactions =
            new ConcurrentHashMap<>();

    public ZkArrowConnector(
            ZkArrowClient client,
            ZkArrowWrites writes,
            ZkArrowSystemTables systemTables,
            ConnectorSplitManager splitManager,
            ConnectorPageSourceProvider pageSourceProvider,
            ConnectorPageSinkProvider pageSinkProvider,
            Set<Procedure> procedures) {
        this.client = requireNonNull(client, "client is null");
        this.writes = requireNonNull(writes, "writes is null");
        this.systemTables = requireNonNull(systemTables, "systemTables is null");
        this.splitManager = requireNonNull(splitManager, "splitManager is null");
        this.pageSourceProvider = requireNonNull(pageSourceProvider, "pageSourceProvider is null");
        this.pageSinkProvider = requireNonNull(pageSinkProvider, "pageSinkProvider is null");
        this.procedures = requireNonNull(procedures, "procedures is null");
    }

    @Override
    public Set<SystemTable> getSystemTables() {
        return systemTables.getSystemTables();
    }

    @Override
    public ConnectorTransactionHandle beginTransaction(
            IsolationLevel isolationLevel, boolean readOnly) {
        ZkArrowTransactionHandle transaction = new ZkArrowTransactionHandle();
        transactions.put(transaction, newMetadata());
        return transaction;
    }

    @Override
    public ConnectorMetadata getMetadata(ConnectorTransactionHandle transactionHandle) {
        return transactions.computeIfAbsent(transactionHandle, handle -> newMetadata());
    }

    private ZkArrowMetadata newMetadata() {
        return new ZkArrowMetadata(client, writes, systemTables);
    }

    @Override
    public ConnectorCommitHandle commit(ConnectorTransactionHandle transactionHandle) {
        transactions.remove(transactionHandle);
        return Connector.super.commit(transactionHandle);
    }

    /**
     * Removes what an unpublished CREATE TABLE AS of the transaction left (its sinks already
     * deleted their files).
     */
    @Override
    public void rollback(ConnectorTransactionHandle transactionHandle) {
        ZkArrowMetadata metadata = transactions.remove(transactionHandle);
        if (metadata != null) {
            metadata.rollback();
        }
    }

    @Override
    public ConnectorPageSinkProvider getPageSinkProvider() {
        return pageSinkProvider;
    }

    @Override
    public List<PropertyMetadata<?>> getTableProperties() {
        return ZkArrowTableProperties.getTableProperties();
    }

    @Override
    public ConnectorSplitManager getSplitManager() {
        return splitManager;
    }

    @Override
    public ConnectorPageSourceProvider getPageSourceProvider() {
        return pageSourceProvider;
    }

    /**
     * LIMIT pushdown, in both phases: before exchanges are added a LIMIT sits right over the scan;
     * after, the partial LIMIT under the gathering exchange does.
     */
    @Override
    public ConnectorPlanOptimizerProvider getConnectorPlanOptimizerProvider() {
        Set<ConnectorPlanOptimizer> limitPushdown = Set.of(new ZkArrowLimitPushdown());
        return new ConnectorPlanOptimizerProvider() {
            @Override
            public Set<ConnectorPlanOptimizer> getLogicalPlanOptimizers() {
                return limitPushdown;
            }

            @Override
            public Set<ConnectorPlanOptimizer> getPhysicalPlanOptimizers() {
                return limitPushdown;
            }
        };
    }

    @Override
    public Set<Procedure> getProcedures() {
        return procedures;
    }

    @Override
    public List<PropertyMetadata<?>> getSessionProperties() {
        return ZkArrowSessionProperties.getSessionProperties();
    }

    @Override
    public void shutdown() {
        client.close();
    }
}
