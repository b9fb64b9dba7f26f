using System;
using System.Collections;
using AliyunIot.Ports;
using AliyunIot.Thing;

namespace AliyunIot.Shadow
{
    /// <summary>
    /// A ready-made <see cref="ShadowDesiredHandler"/> for applications whose desired state is their writable
    /// properties: each desired attribute that names a read-write property of the thing model is validated like a
    /// property set, handed to the property's setter (which drives the pin or the application) and stored. Unknown,
    /// read-only or invalid attributes are skipped and logged. When nothing of a non-empty desired state could be
    /// applied the handler returns null, so the desired state stays in the cloud instead of being cleared unapplied.
    /// </summary>
    public sealed class ShadowPropertyBinding
    {
        private const string Source = "shadow";

        private readonly ThingModel _model;
        private readonly ILog _log;

        /// <summary>Binds the shadow's desired state to <paramref name="model"/>'s writable properties.</summary>
        public ShadowPropertyBinding(ThingModel model, ILog log)
        {
            if (model == null)
            {
                throw new ArgumentNullException("model");
            }

            _model = model;
            _log = log;
        }

        /// <summary>Applies <paramref name="desired"/>; returns the attributes applied, or null when none could be.</summary>
        public Hashtable Apply(Hashtable desired, long version)
        {
            Hashtable applied = new Hashtable();
            if (desired == null)
            {
                return applied;
            }

            foreach (object key in desired.Keys)
            {
                string name = key as string;
                string refusal = ApplyOne(name, desired[key]);
                if (refusal == null)
                {
                    applied[name] = _model.GetValue(name);
                }
                else if (_log != null)
                {
                    _log.Write(LogLevel.Warning, Source, "desired " + (name == null ? "(no name)" : name) + " of version " + version.ToString() + " not applied: " + refusal);
                }
            }

            return applied.Count == 0 && desired.Count > 0 ? null : applied;
        }

        private string ApplyOne(string name, object raw)
        {
            PropertyDefinition property = name == null ? null : _model.FindProperty(name);
            if (property == null)
            {
                return "no such property";
            }

            if (property.Access != PropertyAccess.ReadWrite)
            {
                return "read-only";
            }

            object value;
            string problem = property.Validate(raw, out value);
            if (problem != null)
            {
                return problem;
            }

            PropertySetHandler setter = property.Setter;
            try
            {
                string refused = setter == null ? null : setter(property, value);
                if (refused != null)
                {
                    return refused;
                }
            }
            catch (Exception e)
            {
                // The application's setter: a failure refuses this attribute, never the shadow message.
                return "setter failed (" + e.GetType().Name + ")";
            }

            // Validated above: stored as the property-set path stores it (SetValue would validate again).
            _model.StoreValue(name, value);
            return null;
        }
    }
}
