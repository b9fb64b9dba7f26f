using System.Collections;
using AliyunIot.Json;

namespace AliyunIot.Thing
{
    /// <summary>
    /// Validation, JSON writing and comparison of the TSL's two composite types, kept apart from the scalar rules of
    /// <see cref="PropertyDefinition"/>. What the platform allows ("Supported data types",
    /// https://www.alibabacloud.com/help/en/iot/user-guide/supported-data-types): a <c>struct</c> is a JSON object
    /// whose members are int32, float, double, text, date, bool or enum (no nesting); an <c>array</c> holds 1 to 512
    /// elements of one type, int32, float, double, text or struct. A struct value is a <see cref="Hashtable"/>
    /// (member identifier → validated value; members not given are left out, as the platform accepts a partial
    /// struct); an array value is an <c>object[]</c> of validated elements. Problems name the member or element
    /// ("member Latitude: above maximum 90", "element 2: expected number", "5 elements, at most 4") and never repeat
    /// network text that is not a safe identifier. No reflection; each value costs one container.
    /// </summary>
    internal static class CompositeValues
    {
        /// <summary>Most elements the platform allows in an array.</summary>
        internal const int MaxArrayElements = 512;

        /// <summary>Checks a struct value (a <see cref="Hashtable"/>) member by member.</summary>
        /// <returns>null when valid (then <paramref name="value"/> is a new Hashtable of validated members), else why not.</returns>
        internal static string ValidateStruct(ParameterList members, object raw, out object value)
        {
            value = null;
            Hashtable fields = raw as Hashtable;
            if (fields == null)
            {
                return "expected object";
            }

            Hashtable normalized = new Hashtable();
            string badName;
            string problem = members.Normalize(fields, normalized, out badName);
            if (problem != null)
            {
                // A member name from the network is repeated only when it is a plain identifier.
                string shown = badName != null && Alink.AlinkTopicClassifier.IsSafeIdentifier(badName) ? badName : "?";
                return "member " + shown + ": " + problem;
            }

            value = normalized;
            return null;
        }

        /// <summary>Checks an array value (any <see cref="IList"/>: a parsed JSON array, object[], int[] ...) element by element.</summary>
        /// <returns>null when valid (then <paramref name="value"/> is a new object[] of validated elements), else why not.</returns>
        internal static string ValidateArray(PropertyDefinition item, int maxElements, object raw, out object value)
        {
            value = null;
            IList items = raw as IList;
            if (items == null)
            {
                return "expected array";
            }

            int count = items.Count;
            if (count > maxElements)
            {
                return count.ToString() + " elements, at most " + maxElements.ToString();
            }

            object[] normalized = new object[count];
            for (int i = 0; i < count; i++)
            {
                object element;
                string problem = item.Validate(items[i], out element);
                if (problem != null)
                {
                    return "element " + i.ToString() + ": " + problem;
                }

                normalized[i] = element;
            }

            value = normalized;
            return null;
        }

        /// <summary>Writes a validated array value: <c>[e0,e1,…]</c>, each element with the item's type and precision.</summary>
        internal static void WriteArray(JsonWriter json, PropertyDefinition item, object[] items)
        {
            json.BeginArray();
            for (int i = 0; i < items.Length; i++)
            {
                item.Write(json, items[i]);
            }

            json.EndArray();
        }

        /// <summary>True when two validated struct or array values hold the same members or elements.</summary>
        /// <param name="a">A validated struct (Hashtable) or array (object[]) value.</param>
        /// <param name="b">Any validated value.</param>
        internal static bool Same(object a, object b)
        {
            Hashtable structA = a as Hashtable;
            if (structA != null)
            {
                Hashtable structB = b as Hashtable;
                if (structB == null || structB.Count != structA.Count)
                {
                    return false;
                }

                foreach (object key in structA.Keys)
                {
                    if (!structB.Contains(key) || !PropertyDefinition.SameValue(structA[key], structB[key]))
                    {
                        return false;
                    }
                }

                return true;
            }

            object[] arrayA = (object[])a;
            object[] arrayB = b as object[];
            if (arrayB == null || arrayB.Length != arrayA.Length)
            {
                return false;
            }

            for (int i = 0; i < arrayA.Length; i++)
            {
                if (!PropertyDefinition.SameValue(arrayA[i], arrayB[i]))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
