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
import io.zkarrow.presto.protocol.ZkArrowClient;
import io.zkarrow.presto.protocol.ZkArrowTableOps;
import io.zkarrow.presto.scan.ZkArrowPageSourceProvider;
import io.zkarrow.presto.scan.ZkArrowSplitManager;
import io.zkarrow.presto.system.ZkArrowSystemTables;
import io.zkarrow.presto.write.ZkArrowPageSinkProvider;
import io.zkarrow.presto.write.ZkArrowWrites;

import java.util.LinkedHashMap;
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
        ZkArrowConfig parsed = ZkArrowConfig.parse(catalogName, config);
        // the plugin's class loader, so that the library and the classes it caches come from it
        ClassLoader original = Thread.currentThread().getContextClassLoader();
        Thread.currentThread()
                .setContextClassLoader(ZkArrowConnectorFactory.class.getClassLoader());
        try {
            Map<String, Object> node = nodeInfo(context.getNodeManager());
            String nodeId = node == null ? null : (String) node.get("node_id");
            ZkArrowClient client = ZkArrowClient.open(parsed, node, context.getTypeManager());
            // the catalog's object graph, built once: every lock holder this node writes (DDL,
            // INSERT, rollback_to_snapshot) names it by the same node id
            ZkArrowTableOps ops = new ZkArrowTableOps(client, nodeId);
            return new ZkArrowConnector(
                    client,
                    new ZkArrowWrites(ops),
                    new ZkArrowSystemTables(client, ops, nodeId),
                    new ZkArrowSplitManager(client),
                    new ZkArrowPageSourceProvider(),
                    new ZkArrowPageSinkProvider(),
                    new ZkArrowProcedures(client, new ZkArrowSnapshotProcedures(ops))
                            .getProcedures());
        } finally {
            Thread.currentThread().setContextClassLoader(original);
        }
    }

    /**
     * This Presto node as PROTOCOL.md's NodeInfo: registered under {@code <root>/nodes} while the
     * catalog is open.
     */
    static Map<String, Object> nodeInfo(NodeManager nodeManager) {
        if (nodeManager == null) {
            return null;
        }
        Node node = nodeManager.getCurrentNode();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("node_id", node.getNodeIdentifier());
        info.put("host", node.getHost());
        info.put("http_address", node.getHostAndPort().toString());
        String prestoVersion = node.getVersion();
        info.put(
                "presto_version",
                prestoVersion == null || prestoVersion.isEmpty() ? "unknown" : prestoVersion);
        info.put("zkarrow_version", zkarrowVersion());
        // The JVM start time: every catalog of this server on one root shares one registration.
        info.put(
                "started_at_ms",
                java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime());
        info.put("coordinator", node.isCoordinator());
        return info;
    }

    /** The plugin jar's Implementation-Version, or "dev" when running from classes (tests). */
    static String zkarrowVersion() {
        Package pkg = ZkArrowConnectorFactory.class.getPackage();
        String version = pkg == null ? null : pkg.getImplementationVersion();
        return version == null || version.isEmpty() ? "dev" : version;
    }
}
