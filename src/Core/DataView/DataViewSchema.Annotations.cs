namespace MLNetFlows;

public sealed partial class DataViewSchema
{
    /// <summary>
    /// Named values attached to a column (ML.NET's annotations, e.g. <c>KeyValues</c>: the category names of a
    /// key column). Immutable.
    /// </summary>
    public sealed class Annotations
    {
        private readonly Dictionary<string, (DataViewType Type, object Value)> _values;

        private Annotations(Dictionary<string, (DataViewType Type, object Value)> values) => _values = values;

        /// <summary>Gets an empty set of annotations.</summary>
        public static Annotations Empty { get; } = new(new Dictionary<string, (DataViewType, object)>(StringComparer.Ordinal));

        /// <summary>Gets the annotation names.</summary>
        public IReadOnlyCollection<string> Names => _values.Keys;

        /// <summary>Gets the type of the annotation <paramref name="kind"/>, or null when absent.</summary>
        /// <param name="kind">The annotation name.</param>
        /// <returns>The type or null.</returns>
        public DataViewType? GetTypeOrNull(string kind) => _values.TryGetValue(kind, out var entry) ? entry.Type : null;

        /// <summary>Reads the annotation <paramref name="kind"/>.</summary>
        /// <typeparam name="TValue">The annotation's raw type.</typeparam>
        /// <param name="kind">The annotation name.</param>
        /// <param name="value">Receives the value.</param>
        /// <exception cref="InvalidOperationException">No such annotation, or it has another type.</exception>
        public void GetValue<TValue>(string kind, ref TValue value)
        {
            if (!_values.TryGetValue(kind, out var entry))
            {
                throw new InvalidOperationException($"Expected an annotation '{kind}', got only [{string.Join(", ", _values.Keys)}].");
            }

            if (entry.Value is not TValue typed)
            {
                throw new InvalidOperationException($"Annotation '{kind}' has type {entry.Type}, requested {TypeNames.Of(typeof(TValue))}.");
            }

            value = typed;
        }

        /// <summary>Builds a set of annotations.</summary>
        public sealed class Builder
        {
            private readonly Dictionary<string, (DataViewType Type, object Value)> _values = new(StringComparer.Ordinal);

            /// <summary>Adds (or replaces) an annotation.</summary>
            /// <typeparam name="TValue">The raw type of <paramref name="type"/>.</typeparam>
            /// <param name="kind">The annotation name.</param>
            /// <param name="type">The annotation type.</param>
            /// <param name="value">The value; vectors are stored as given and must not be modified afterwards.</param>
            /// <returns>This builder.</returns>
            public Builder Add<TValue>(string kind, DataViewType type, TValue value)
                where TValue : notnull
            {
                Guard.NotNullOrEmpty(kind);
                Guard.NotNull(type);
                Guard.IsTrue(type.RawType == typeof(TValue), $"a value of {TypeNames.Of(type.RawType)} for type {type}", TypeNames.Of(typeof(TValue)), nameof(value));
                _values[kind] = (type, value);
                return this;
            }

            /// <summary>Creates the annotations.</summary>
            /// <returns>An immutable set of annotations.</returns>
            public Annotations ToAnnotations() => new(new Dictionary<string, (DataViewType, object)>(_values, StringComparer.Ordinal));
        }
    }
}
