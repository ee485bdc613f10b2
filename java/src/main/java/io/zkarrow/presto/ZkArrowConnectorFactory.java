package io.zkarrow.presto;

import static java.util.Objects.requireNonNull;

import com.facebook.presto.spi.ConnectorHandleResolver;
import com.facebook.presto.spi.Node;
import com.facebook.presto.spi.NodeManager;
import com.facebook.presto.spi.connector.Connector;
import com.facebook.presto.spi.connector.ConnectorContext;
import com.facebook.presto.spi.connector.ConnectorFactory;

import io.zkarrow.presto.handle.ZkArrowHandleResolver;
import io.zkarrow.presto.procedures.ZkArrowProcedures;
import io.zkarrow.presto.procedures.ZkArrowSnapshotProcedures;
import io.zkarrow.presto.protocol.NodeInfo;
import io.zkarrow.presto.protocol.ZkArrowClient;
import io.zkarrow.presto.scan.ZkArrowPageSourceProvider;
import io.zkarrow.presto.scan.ZkArrowSplitManager;
import io.zkarrow.presto.system.ZkArrowSystemTables;
import io.zkarrow.presto.write.ZkArrowPageSinkProvider;
import io.zkarrow.presto.write.ZkArrowWrites;

import java.util.Map;

public final class ZkArrowConnectorFactory implements ConnectorFactory {
    public static final String NAME = "zkarrow";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public ConnectorHandleResolver getHandleResolver() {
        return new ZkArrowHandleResolver();
    }

    @Override
    public Connector create(
            String catalogName, Map<String, String> config, ConnectorContext context) {
        requireNonNull(context, "context is null");
        ZkArrowConfig parsed = new ZkArrowConfig(catalogName, config);
        // the plugin's class loader, so that the library and the classes it caches come from it
        ClassLoader original = Thread.currentThread().getContextClassLoader();
        Thread.currentThread()
                .setContextClassLoader(ZkArrowConnectorFactory.class.getClassLoader());
        try {
            NodeInfo node = nodeInfo(context.getNodeManager());
            // the catalog's object graph, built once around one client (the lock holders it
            // writes name this node natively, by the node registered here)
            ZkArrowClient client = ZkArrowClient.open(parsed, node, context.getTypeManager());
            return new ZkArrowConnector(
                    client,
                    new ZkArrowWrites(client),
                    new ZkArrowSystemTables(client, node == null ? null : node.nodeId()),
                    new ZkArrowSplitManager(client),
                    new ZkArrowPageSourceProvider(),
                    new ZkArrowPageSinkProvider(client),
                    new ZkArrowProcedures(client, new ZkArrowSnapshotProcedures(client))
                            .getProcedures());
        } finally {
            Thread.currentThread().setContextClassLoader(original);
        }
    }

    /** This Presto node, registered under {@code <root>/nodes} while the catalog is open. */
    static NodeInfo nodeInfo(NodeManager nodeManager) {
        if (nodeManager == null) {
            return null;
        }
        Node node = nodeManager.getCurrentNode();
        String prestoVersion = node.getVersion();
        return new NodeInfo(
                node.getNodeIdentifier(),
                node.getHost(),
                node.getHostAndPort().toString(),
                prestoVersion == null || prestoVersion.isEmpty() ? "unknown" : prestoVersion,
                zkarrowVersion(),
                // the JVM start time: every catalog of this server on one root shares one
                // registration
                java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime(),
                node.isCoordinator());
    }

    /** The plugin jar's Implementation-Version, or "dev" when running from classes (tests). */
    static String zkarrowVersion() {
        Package pkg = ZkArrowConnectorFactory.class.getPackage();
        String version = pkg == null ? null : pkg.getImplementationVersion();
        return version == null || version.isEmpty() ? "dev" : version;
    }
}
