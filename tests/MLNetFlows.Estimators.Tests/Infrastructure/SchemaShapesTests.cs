using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFlows.Estimators.Data;

namespace MLNetFlows.Estimators.Tests.Infrastructure;

/// <summary>
/// Pins the ML.NET internals the schema-shape adapter (SchemaShapes) relies on: these fail first, and loudly, when a new
/// Microsoft.ML changes them. The persistence adapter's pins are in MLNetFlows.Transforms.Tests (MLNetInternalsTests).
/// </summary>
public sealed class SchemaShapesTests
{
    [Fact]
    public void SchemaShapeColumnStillHasExactlyTheFieldsTheAdapterFills()
    {
        var fields = typeof(SchemaShape.Column).GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .Select(f => $"{f.Name}: {f.FieldType.Name}").Order();

        Assert.Equal(["Annotations: SchemaShape", "IsKey: Boolean", "ItemType: DataViewType", "Kind: VectorKind", "Name: String"], fields);
    }

    [Fact]
    public void AdapterShapesEqualTheShapesMLNetDerives()
    {
        var builder = new DataViewSchema.Builder();
        var slotNames = new DataViewSchema.Annotations.Builder();
        slotNames.Add<VBuffer<ReadOnlyMemory<char>>>("SlotNames", new VectorDataViewType(TextDataViewType.Instance, 3), (ref VBuffer<ReadOnlyMemory<char>> v) => v = new VBuffer<ReadOnlyMemory<char>>(3, ["a".AsMemory(), "b".AsMemory(), "c".AsMemory()]));
        builder.AddColumn("Scalar", NumberDataViewType.Single);
        builder.AddColumn("Vector", new VectorDataViewType(NumberDataViewType.Single, 3), slotNames.ToAnnotations());
        builder.AddColumn("VarVector", new VectorDataViewType(NumberDataViewType.Double));
        builder.AddColumn("Key", new KeyDataViewType(typeof(uint), 10));
        builder.AddColumn("KeyVector", new VectorDataViewType(new KeyDataViewType(typeof(byte), 4), 2));
        builder.AddColumn("Text", TextDataViewType.Instance);
        builder.AddColumn("Flag", BooleanDataViewType.Instance);
        var schema = builder.ToSchema();

        SchemaComparer.AssertShapeMatches(SchemaShapes.FromSchema(schema), schema);
        Assert.Equal("Key<UInt32>", SchemaShapes.TypeString(SchemaShapes.FromSchema(schema)[3]));
        Assert.Equal("VarVector<Double>", SchemaShapes.TypeString(SchemaShapes.FromSchema(schema)[2]));
    }

    [Fact]
    public void AdapterShapesFeedMLNetEstimatorsDownstream()
    {
        // EstimatorChain.GetOutputSchema hands our shape to ML.NET's Concatenate, which reads kinds, types and annotations.
        var ml = new MLContext(8);
        var data = ToyData.View(ml, 2);
        var chain = new ScaleEstimator("Features", ToyData.Weights, 4).Append(ml.Transforms.Concatenate("Both", "Scaled", "Features"));

        var shape = chain.GetOutputSchema(SchemaComparer.ShapeOf(data.Schema));

        SchemaComparer.AssertShapeMatches(shape, chain.Fit(data).Transform(data).Schema);
    }
}
