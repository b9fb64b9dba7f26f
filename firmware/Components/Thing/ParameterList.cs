using System.Collections;
using AliyunIot.Json;

namespace AliyunIot.Thing
{
    /// <summary>An ordered list of parameter definitions with unique identifiers (service inputs/outputs, event outputs).</summary>
    public sealed class ParameterList
    {
        private readonly ArrayList _items = new ArrayList();

        /// <summary>Number of parameters.</summary>
        public int Count
        {
            get { return _items.Count; }
        }

        /// <summary>The parameter at <paramref name="index"/> (declaration order; JSON is written in this order).</summary>
        public PropertyDefinition Get(int index)
        {
            return (PropertyDefinition)_items[index];
        }

        /// <summary>The parameter named <paramref name="identifier"/>, or null.</summary>
        public PropertyDefinition Find(string identifier)
        {
            int index = IndexOf(identifier);
            return index < 0 ? null : (PropertyDefinition)_items[index];
        }

        /// <summary>The index (declaration order) of the parameter named <paramref name="identifier"/>, or -1.</summary>
        public int IndexOf(string identifier)
        {
            for (int i = 0; i < _items.Count; i++)
            {
                PropertyDefinition item = (PropertyDefinition)_items[i];
                if (item.Identifier == identifier)
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>Adds a parameter.</summary>
        /// <exception cref="System.ArgumentException">The identifier is already used.</exception>
        public void Add(PropertyDefinition parameter)
        {
            if (parameter == null)
            {
                throw new System.ArgumentNullException("parameter");
            }

            if (Find(parameter.Identifier) != null)
            {
                throw new System.ArgumentException("parameter " + parameter.Identifier + " declared twice");
            }

            _items.Add(parameter);
        }

        /// <summary>
        /// Validates every entry of <paramref name="values"/> against its declared parameter and puts the normalized
        /// values into <paramref name="normalized"/> (service inputs from the network, event outputs from the application).
        /// </summary>
        /// <param name="values">Raw values by identifier.</param>
        /// <param name="normalized">Receives the validated values.</param>
        /// <param name="badName">The offending key (null when the key is not a string), or null when all are valid.</param>
        /// <returns>null when all are valid; "unknown" for an undeclared identifier, else the validation problem.</returns>
        public string Normalize(Hashtable values, Hashtable normalized, out string badName)
        {
            badName = null;
            foreach (object key in values.Keys)
            {
                string name = key as string;
                PropertyDefinition parameter = name == null ? null : Find(name);
                if (parameter == null)
                {
                    badName = name;
                    return "unknown";
                }

                object value;
                string problem = parameter.Validate(values[key], out value);
                if (problem != null)
                {
                    badName = name;
                    return problem;
                }

                normalized[name] = value;
            }

            return null;
        }

        /// <summary>
        /// Writes <c>{"id":value,…}</c> for the parameters present in <paramref name="values"/>, in declaration order and
        /// each with its declared type and precision (service outputs, event values).
        /// </summary>
        public void WriteObject(JsonWriter json, Hashtable values)
        {
            json.BeginObject();
            for (int i = 0; i < _items.Count; i++)
            {
                PropertyDefinition parameter = (PropertyDefinition)_items[i];
                if (values.Contains(parameter.Identifier))
                {
                    json.Name(parameter.Identifier);
                    parameter.Write(json, values[parameter.Identifier]);
                }
            }

            json.EndObject();
        }
    }
}
