package io.zkarrow.presto.metadata;

import static com.facebook.presto.spi.session.PropertyMetadata.booleanProperty;
import static com.facebook.presto.spi.session.PropertyMetadata.longProperty;

import com.facebook.presto.spi.ConnectorSession;
import com.facebook.presto.spi.session.PropertyMetadata;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

public final class ZkArrowSessionProperties {
    /**
     * Hidden: makes the native reader panic on its first page (the test of the native panic guard).
     */
    public static final String DEBUG_NATIVE_PANIC = "debug_native_panic";

    /**
     * Hidden: the split size (bytes) asked of plan_splits; 0: the live {@code split_target_size}
     * setting.
     */
    public static final String TARGET_SPLIT_BYTES = "target_split_bytes";

    /**
     * Hidden: the size (bytes) at which a page sink starts a new data file; 0: the native writer's
     * default.
     */
    public static final String TARGET_FILE_BYTES = "target_file_bytes";

    private static final List<PropertyMetadata<?>> PROPERTIES =
            Collections.unmodifiableList(
                    Arrays.asList(
                            booleanProperty(
                                    DEBUG_NATIVE_PANIC,
                                    "Test only: make the native reader panic on its first page",
                                    false,
                                    true),
                            longProperty(
                                    TARGET_SPLIT_BYTES,
                                    "Target split size in bytes (0: the native default)",
                                    0L,
                                    true),
                            longProperty(
                                    TARGET_FILE_BYTES,
                                    "Target size of written data files in bytes (0: the native"
                                            + " default)",
                                    0L,
                                    true)));

    private ZkArrowSessionProperties() {}

    public static List<PropertyMetadata<?>> getSessionProperties() {
        return PROPERTIES;
    }

    public static boolean isDebugNativePanic(ConnectorSession session) {
        Boolean value = session.getProperty(DEBUG_NATIVE_PANIC, Boolean.class);
        return value != null && value;
    }

    public static long getTargetSplitBytes(ConnectorSession session) {
        Long value = session.getProperty(TARGET_SPLIT_BYTES, Long.class);
        return value == null ? 0 : value;
    }

    public static long getTargetFileBytes(ConnectorSession session) {
        Long value = session.getProperty(TARGET_FILE_BYTES, Long.class);
        return value == null ? 0 : value;
    }
}
