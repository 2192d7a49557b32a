using System.Reflection;
using System.Runtime.InteropServices;
using MLNetFlows.Persistence;
using MLNetFlows.Transforms.Image;

namespace MLNetFlows.Cli.Tests;

/// <summary>How failures become exit codes and lines: expected ones name their cause, bugs are named as such.</summary>
public sealed class CliErrorsTests
{
    [Fact]
    public void AModelFormatErrorWrappedByMLNetIsReportedByItsOwnMessage()
    {
        var inner = new ModelFormatException("the MLNetFlows component 'X' at 'Model' of the model file is invalid: the entry 'w' is missing");
        var wrapped = new InvalidOperationException("Error during class instantiation", new TargetInvocationException(inner));

        Assert.Equal((1, "mlnetflows: error: " + inner.Message), CliErrors.Describe(wrapped));
    }

    [Fact]
    public void AnImageLoadErrorInsideAnAggregateIsReportedByItsOwnMessage()
    {
        var failure = new ImageLoadException(new ImageLoadFailure("/data/x.png", "truncated PNG data"));

        Assert.Equal((1, "mlnetflows: error: cannot load image '/data/x.png': truncated PNG data"), CliErrors.Describe(new AggregateException(failure)));
    }

    [Fact]
    public void MLNetsMarkedChecksAreExpectedButPlainInvalidOperationsAreBugs()
    {
        var marked = new InvalidOperationException("Source column 'Features' is required but not found");
        marked.Data["ML_IsMarked"] = null;
        var plain = new InvalidOperationException("the cursor is not on a row");

        Assert.Equal((1, "mlnetflows: error: Source column 'Features' is required but not found"), CliErrors.Describe(marked));
        Assert.Equal((70, "mlnetflows: internal error: System.InvalidOperationException: the cursor is not on a row"), CliErrors.Describe(plain));
    }

    [Fact]
    public void ABugIsNamedByItsTypeEvenInsideAReflectionWrapper()
    {
        var bug = new TargetInvocationException(new NullReferenceException("Object reference not set to an instance of an object."));

        Assert.Equal((70, "mlnetflows: internal error: System.NullReferenceException: Object reference not set to an instance of an object."), CliErrors.Describe(bug));
        Assert.Equal(70, CliErrors.Describe(new ArgumentNullException("options")).Code);
    }

    [Fact]
    public void TheCliOwnFailureWinsOverTheExpectedCauseItWraps()
    {
        var error = new CliFailureException("cannot load the model 'm.zip': End of Central Directory record could not be found.", new FormatException("Failed to open a zip archive", new InvalidDataException("End of Central Directory record could not be found.")));

        Assert.Equal((1, "mlnetflows: error: cannot load the model 'm.zip': End of Central Directory record could not be found."), CliErrors.Describe(error));
    }

    [Theory]
    [InlineData(typeof(FileNotFoundException))]
    [InlineData(typeof(UnauthorizedAccessException))]
    [InlineData(typeof(ExternalException))]
    [InlineData(typeof(DllNotFoundException))]
    [InlineData(typeof(ArgumentException))]
    [InlineData(typeof(InvalidDataException))]
    [InlineData(typeof(NotSupportedException))]
    public void UserAndEnvironmentFailuresExitWithOne(Type type)
    {
        var error = (Exception)Activator.CreateInstance(type, "what went wrong\nand where")!;

        Assert.Equal((1, "mlnetflows: error: what went wrong and where"), CliErrors.Describe(error));
    }

    [Fact]
    public void AnArgumentErrorIsReportedWithoutTheDotNetParameterName()
    {
        var option = new ArgumentException("BatchSize must be at least 1, got 0", "BatchSize");
        var range = new ArgumentOutOfRangeException("temperature", -1.0, "the temperature must be a non-negative number");
        var unnamed = new ArgumentException("Schema mismatch (Parameter 'inputSchema') in a message of its own");

        Assert.Equal((1, "mlnetflows: error: BatchSize must be at least 1, got 0"), CliErrors.Describe(option));
        Assert.Equal((1, "mlnetflows: error: the temperature must be a non-negative number Actual value was -1."), CliErrors.Describe(range));
        Assert.Equal((1, "mlnetflows: error: Schema mismatch (Parameter 'inputSchema') in a message of its own"), CliErrors.Describe(unnamed));
    }

    [Fact]
    public void CancellationExitsWith130()
    {
        Assert.Equal((130, "mlnetflows: cancelled"), CliErrors.Describe(new OperationCanceledException()));
    }
}
