package io.zkarrow.presto;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import com.facebook.presto.common.ErrorType;
import com.facebook.presto.spi.PrestoException;

import io.zkarrow.presto.nativelib.NativeLoader;
import io.zkarrow.presto.nativelib.ZkArrowNativeException;

import org.testng.annotations.Test;

import java.util.HashSet;
import java.util.Set;

public class TestZkArrowErrorCode {
    @Test
    public void testCodes() {
        Set<Integer> codes = new HashSet<>();
        for (ZkArrowErrorCode code : ZkArrowErrorCode.values()) {
            assertTrue(codes.add(code.toErrorCode().getCode()));
            assertEquals(code.toErrorCode().getName(), "ZKARROW_" + code.name());
            assertEquals(ZkArrowErrorCode.fromNativeCode(code.name()), code);
        }
        assertEquals(
                ZkArrowErrorCode.SCHEMA_NOT_EMPTY.toErrorCode().getType(), ErrorType.USER_ERROR);
        assertEquals(
                ZkArrowErrorCode.ZOOKEEPER_UNAVAILABLE.toErrorCode().getType(), ErrorType.EXTERNAL);
        assertEquals(
                ZkArrowErrorCode.NATIVE_PANIC.toErrorCode().getType(), ErrorType.INTERNAL_ERROR);
    }

    @Test
    public void testToPrestoException() {
        PrestoException e =
                ZkArrowErrorCode.toPrestoException(
                        new ZkArrowNativeException("TABLE_NOT_FOUND", "Table s.t does not exist"));
        assertEquals(e.getErrorCode(), ZkArrowErrorCode.TABLE_NOT_FOUND.toErrorCode());
        assertEquals(e.getMessage(), "Table s.t does not exist");
        e = ZkArrowErrorCode.toPrestoException(new ZkArrowNativeException("SOMETHING_NEW", "boom"));
        assertEquals(e.getErrorCode(), ZkArrowErrorCode.INTERNAL.toErrorCode());
        assertEquals(e.getMessage(), "[SOMETHING_NEW] boom");
    }

    @Test
    public void testNativeResourcePath() {
        String path = NativeLoader.resourcePath();
        assertTrue(
                path.matches(
                        "native/(linux|darwin|windows)-[a-z0-9_]+/(lib)?zkarrow_jni\\.(so|dylib|dll)"),
                path);
    }
}
