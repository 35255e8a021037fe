package dev.mitosis.capture.internal;

import io.debezium.embedded.ConverterBuilder;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.format.JsonByteArray;
import io.debezium.engine.format.KeyValueHeaderChangeEventFormat;
import org.apache.kafka.connect.source.SourceRecord;

import java.util.Properties;
import java.util.function.Function;

/**
 * Turns a connector's record into the key and value bytes a {@code JsonByteArray} engine would hand over: Debezium's
 * own {@link ConverterBuilder}, configured by the engine's {@code converter.*} properties, so the published JSON is
 * byte for byte what it was when the engine converted. Capture runs it itself, on a thread of its own, so that
 * converting one record overlaps sending the one before (the engine converts a whole batch before it hands it over).
 */
final class JsonRecordConverter implements Function<SourceRecord, ChangeEvent<byte[], byte[]>> {

    private final Function<SourceRecord, ChangeEvent<byte[], byte[]>> converter;

    /** @param engineProperties the engine's configuration, whose {@code converter.*} keys configure the JSON */
    JsonRecordConverter(Properties engineProperties) {
        ConverterBuilder<ChangeEvent<byte[], byte[]>> builder = new ConverterBuilder<>();
        builder.using(KeyValueHeaderChangeEventFormat.of(JsonByteArray.class, JsonByteArray.class, null))
                .using(engineProperties);
        this.converter = builder.toFormat(null);
    }

    @Override
    public ChangeEvent<byte[], byte[]> apply(SourceRecord record) {
        return converter.apply(record);
    }
}
