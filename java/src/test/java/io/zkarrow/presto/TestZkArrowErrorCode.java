package io.zkarrow.presto;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import com.facebook.presto.common.ErrorCode;
import com.facebook.presto.common.ErrorType;
import com.facebook.presto.spi.PrestoException;
import com.fasterxml.jackson.databind.JsonNode;

import io.zkarrow.presto.nativelib.NativeLoader;
import io.zkarrow.presto.nativelib.ZkArrowNativeException;
import io.zkarrow.presto.protocol.Json;
import io.zkarrow.presto.protocol.TestProtocolDocuments;

import org.testng.annotations.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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

    /**
     * The codes equal tests/protocol/error_codes.json (the native side checks the same document),
     * both ways: a code added on one side only fails.
     */
    @Test
    public void testCodesEqualTheProtocolDocument() throws Exception {
        JsonNode document =
                Json.readTree(
                        new String(
                                Files.readAllBytes(
                                        TestProtocolDocuments.protocolDir()
                                                .resolve("error_codes.json")),
                                StandardCharsets.UTF_8));
        assertEquals(document.get("offset").asLong(), ZkArrowErrorCode.ERROR_CODE_OFFSET);
        List<String> expected = new ArrayList<>();
        for (JsonNode code : document.get("codes")) {
            expected.add(
                    code.get("name").asText()
                            + " "
                            + code.get("code").asInt()
                            + " "
                            + code.get("type").asText());
        }
        List<String> actual = new ArrayList<>();
        for (ZkArrowErrorCode code : ZkArrowErrorCode.values()) {
            ErrorCode errorCode = code.toErrorCode();
            assertEquals(errorCode.getCode(), ZkArrowErrorCode.ERROR_CODE_OFFSET + code.number());
            actual.add(code.name() + " " + code.number() + " " + errorCode.getType().name());
        }
        List<String> onlyJava = new ArrayList<>(actual);
        onlyJava.removeAll(expected);
        List<String> onlyDocument = new ArrayList<>(expected);
        onlyDocument.removeAll(actual);
        assertTrue(
                onlyJava.isEmpty() && onlyDocument.isEmpty(),
                "ZkArrowErrorCode only: " + onlyJava + "; error_codes.json only: " + onlyDocument);
        assertEquals(actual, expected, "in the document's order");
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
