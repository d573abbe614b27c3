package io.sweepd.yaml;

import java.util.ArrayList;
import java.util.List;

/** A YAML sequence; its items' paths are this list's path with {@code [i]}. */
public final class YamlList extends YamlNode {

    private final List<YamlNode> items;

    YamlList(String file, String path, String key, Position position, Position keyPosition, List<YamlNode> items) {
        super(file, path, key, position, keyPosition);
        this.items = List.copyOf(items);
    }

    public List<YamlNode> items() {
        return items;
    }

    public YamlNode get(int index) {
        return items.get(index);
    }

    @Override
    public String describe() {
        return "a list";
    }

    @Override
    public YamlList list(String expected) {
        return this;
    }

    @Override
    public Object plain() {
        List<Object> values = new ArrayList<>();
        items.forEach(item -> values.add(item.plain()));
        return values;
    }

    @Override
    public YamlList withPath(String newPath) {
        List<YamlNode> moved = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            moved.add(items.get(i).withPath(item(newPath, i)));
        }
        return new YamlList(file(), newPath, key(), position(), keyPosition(), moved);
    }
}
