using System.Text.Json.Nodes;
using MLNetFlows.Data;

namespace MLNetFlows.Persistence;

/// <summary>
/// JSON form of column types in model manifests:
/// <c>{"kind":"Number","name":"Single"}</c>, <c>{"kind":"Boolean"}</c>, <c>{"kind":"Text"}</c>,
/// <c>{"kind":"Key","count":10}</c>, <c>{"kind":"Vector","item":{...},"dimensions":[784]}</c>,
/// <c>{"kind":"Image","height":28,"width":28}</c>.
/// </summary>
internal static class DataViewTypeJson
{
    public static JsonObject Write(DataViewType type) => type switch
    {
        NumberDataViewType n => new JsonObject { ["kind"] = "Number", ["name"] = n.ToString() },
        BooleanDataViewType => new JsonObject { ["kind"] = "Boolean" },
        TextDataViewType => new JsonObject { ["kind"] = "Text" },
        KeyDataViewType k => new JsonObject { ["kind"] = "Key", ["count"] = k.Count },
        VectorDataViewType v => new JsonObject
        {
            ["kind"] = "Vector",
            ["item"] = Write(v.ItemType),
            ["dimensions"] = new JsonArray([.. v.Dimensions.Select(d => (JsonNode)d)]),
        },
        ImageDataViewType i => new JsonObject { ["kind"] = "Image", ["height"] = i.Height, ["width"] = i.Width },
        _ => throw new InvalidOperationException($"Column type {type} ({type.GetType().Name}) cannot be written to a model file."),
    };

    public static DataViewType Read(JsonNode? node, string where)
    {
        if (node is not JsonObject obj)
        {
            throw new ModelFormatException($"{where}: expected a type object, got {Json.Describe(node)}.");
        }

        string kind = Json.RequiredString(obj, "kind", where);
        try
        {
            switch (kind)
            {
                case "Number":
                    string name = Json.RequiredString(obj, "name", where);
                    return NumberDataViewType.All.FirstOrDefault(t => t.ToString() == name)
                        ?? throw new ModelFormatException($"{where}: expected a number type name ({string.Join(", ", NumberDataViewType.All)}), got '{name}'.");
                case "Boolean":
                    return BooleanDataViewType.Instance;
                case "Text":
                    return TextDataViewType.Instance;
                case "Key":
                    return new KeyDataViewType(typeof(uint), (ulong)Json.RequiredInt64(obj, "count", where));
                case "Vector":
                    if (Read(obj["item"], where + ".item") is not PrimitiveDataViewType item)
                    {
                        throw new ModelFormatException($"{where}.item: expected a primitive item type, got a vector or image.");
                    }

                    return new VectorDataViewType(item, Json.RequiredInt32Array(obj, "dimensions", where));
                case "Image":
                    return new ImageDataViewType(Json.RequiredInt32(obj, "height", where), Json.RequiredInt32(obj, "width", where));
                default:
                    throw new ModelFormatException($"{where}: expected a type kind (Number, Boolean, Text, Key, Vector, Image), got '{kind}'.");
            }
        }
        catch (ArgumentException ex)
        {
            throw new ModelFormatException($"{where}: invalid {kind} type: {ex.Message}", ex);
        }
    }
}
