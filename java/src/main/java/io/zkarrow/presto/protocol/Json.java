package io.zkarrow.presto.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one ObjectMapper of the JNI protocol: the typed classes of this package to JSON and back.
 *
 * <ul>
 *   <li>A null member is left out when writing: the protocol treats null and absent alike, and the
 *       native side's defaults apply to absent members.
 *   <li>Reading is strict: an unknown member, trailing text or a malformed document is an {@link
 *       IllegalArgumentException} (the Java and Rust sides ship together; a mismatch is a bug).
 *   <li>Untyped values (statistics bounds, domain values) read integers as {@code Long}.
 * </ul>
 */
public final class Json {
    private static final ObjectMapper MAPPER =
            JsonMapper.builder()
                    .enable(DeserializationFeature.USE_LONG_FOR_INTS)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                    .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                    .serializationInclusion(JsonInclude.Include.NON_NULL)
                    .build();

    private Json() {}

    /** The mapper itself (tests and tree comparisons). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** A request of {@code NativeCatalog.call}, with its {@code op}. */
    public static String writeRequest(Request<?> request) {
        try {
            return MAPPER.writerFor(Request.class).writeValueAsString(request);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "Cannot write the request " + request + " as JSON: " + e.getOriginalMessage(),
                    e);
        }
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "Cannot write " + value + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static <T> T read(String text, Class<T> type) {
        return read(text, MAPPER.constructType(type));
    }

    public static <T> T read(String text, TypeReference<T> type) {
        return read(text, MAPPER.constructType(type));
    }

    /** Any JSON document as a tree. */
    public static JsonNode readTree(String text) {
        return read(text, JsonNode.class);
    }

    private static <T> T read(String text, JavaType type) {
        try {
            return MAPPER.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "Malformed JSON for "
                            + type.getTypeName()
                            + ": "
                            + e.getOriginalMessage()
                            + ": "
                            + abbreviate(text),
                    e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
