namespace FieldTheory.Generators.Emitting
{
    internal static class Xml
    {
        /// <summary>Escapes text for an XML documentation comment.</summary>
        public static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
    }
}
