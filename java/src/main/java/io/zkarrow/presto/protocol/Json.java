package io.zkarrow.presto.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Map;

/**
 * The JSON the plugin exchanges with the native library, as plain Java values: objects become
 * {@code Map<String, Object>}, arrays {@code List<Object>}, integers {@code Long} (or {@code
 * BigInteger} beyond it), other numbers {@code Double}, plus {@code String}, {@code Boolean} and
 * {@code null}.
 */
public final class Json {
    private static final ObjectMapper MAPPER =
            new ObjectMapper()
                    .enable(DeserializationFeature.USE_LONG_FOR_INTS)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {}

    public static Object parse(String text) {
        try {
            return MAPPER.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "Malformed JSON from the native library: "
                            + e.getOriginalMessage()
                            + ": "
                            + abbreviate(text),
                    e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object value = parse(text);
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException(
                    "Expected a JSON object from the native library, got: " + abbreviate(text));
        }
        return (Map<String, Object>) value;
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "Cannot write " + value + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
