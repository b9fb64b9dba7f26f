using System.Collections;

namespace AliyunIot.Thing
{
    /// <summary>
    /// The application's thing model: its properties (with current values), services and events. Built once at
    /// start-up by the application (and by <c>SensorPoller</c> for configured sensors); read by the dispatcher and
    /// reporter. Definitions are added before the device starts; values are thread-safe.
    /// </summary>
    public sealed class ThingModel
    {
        private readonly object _gate = new object();
        private readonly ParameterList _properties = new ParameterList();
        private readonly ArrayList _services = new ArrayList();
        private readonly ArrayList _events = new ArrayList();
        private readonly Hashtable _values = new Hashtable();

        /// <summary>Number of properties.</summary>
        public int PropertyCount
        {
            get { return _properties.Count; }
        }

        /// <summary>The property at <paramref name="index"/> in declaration order.</summary>
        public PropertyDefinition GetProperty(int index)
        {
            return _properties.Get(index);
        }

        /// <summary>Adds a property; returns it.</summary>
        /// <exception cref="System.ArgumentException">Identifier already used.</exception>
        public PropertyDefinition AddProperty(PropertyDefinition property)
        {
            lock (_gate)
            {
                _properties.Add(property);
            }

            return property;
        }

        /// <summary>Adds a property with the setter that applies cloud sets; returns it.</summary>
        public PropertyDefinition AddProperty(PropertyDefinition property, PropertySetHandler setter)
        {
            property.Setter = setter;
            return AddProperty(property);
        }

        /// <summary>Adds a service with its handler; returns it.</summary>
        /// <exception cref="System.ArgumentException">Identifier already used.</exception>
        public ServiceDefinition AddService(ServiceDefinition service, ServiceHandler handler)
        {
            if (FindService(service.Identifier) != null)
            {
                throw new System.ArgumentException("service " + service.Identifier + " declared twice");
            }

            service.Handler = handler;
            lock (_gate)
            {
                _services.Add(service);
            }

            return service;
        }

        /// <summary>Adds an event; returns it.</summary>
        /// <exception cref="System.ArgumentException">Identifier already used.</exception>
        public EventDefinition AddEvent(EventDefinition definition)
        {
            if (FindEvent(definition.Identifier) != null)
            {
                throw new System.ArgumentException("event " + definition.Identifier + " declared twice");
            }

            lock (_gate)
            {
                _events.Add(definition);
            }

            return definition;
        }

        /// <summary>The property named <paramref name="identifier"/>, or null.</summary>
        public PropertyDefinition FindProperty(string identifier)
        {
            lock (_gate)
            {
                return _properties.Find(identifier);
            }
        }

        /// <summary>The declaration index of the property named <paramref name="identifier"/>, or -1.</summary>
        internal int IndexOfProperty(string identifier)
        {
            lock (_gate)
            {
                return _properties.IndexOf(identifier);
            }
        }

        /// <summary>The service named <paramref name="identifier"/>, or null.</summary>
        public ServiceDefinition FindService(string identifier)
        {
            lock (_gate)
            {
                for (int i = 0; i < _services.Count; i++)
                {
                    ServiceDefinition service = (ServiceDefinition)_services[i];
                    if (service.Identifier == identifier)
                    {
                        return service;
                    }
                }
            }

            return null;
        }

        /// <summary>The event named <paramref name="identifier"/>, or null.</summary>
        public EventDefinition FindEvent(string identifier)
        {
            lock (_gate)
            {
                for (int i = 0; i < _events.Count; i++)
                {
                    EventDefinition definition = (EventDefinition)_events[i];
                    if (definition.Identifier == identifier)
                    {
                        return definition;
                    }
                }
            }

            return null;
        }

        /// <summary>The current value of a property (boxed as on <see cref="PropertyType"/>), or null when never set.</summary>
        public object GetValue(string identifier)
        {
            lock (_gate)
            {
                return _values[identifier];
            }
        }

        /// <summary>
        /// Validates and stores a property's current value without posting it (use <c>ThingReporter.ReportProperty</c>
        /// to store and post).
        /// </summary>
        /// <returns>null when stored, otherwise why not: "property X: unknown" or "property X: expected number".</returns>
        public string SetValue(string identifier, object value)
        {
            PropertyDefinition property = FindProperty(identifier);
            if (property == null)
            {
                return "property " + identifier + ": unknown";
            }

            object normalized;
            string problem = property.Validate(value, out normalized);
            if (problem != null)
            {
                return "property " + identifier + ": " + problem;
            }

            StoreValue(identifier, normalized);
            return null;
        }

        /// <summary>
        /// Stores a value that <see cref="PropertyDefinition.Validate"/> already accepted and normalized, without
        /// validating it again; returns the previous one. Public for the components built on the thing model (the
        /// shadow's property binding): they live in their own assemblies.
        /// </summary>
        /// <param name="identifier">A property of this model.</param>
        /// <param name="normalized">The value <see cref="PropertyDefinition.Validate"/> returned.</param>
        public object StoreValue(string identifier, object normalized)
        {
            lock (_gate)
            {
                object previous = _values[identifier];
                _values[identifier] = normalized;
                return previous;
            }
        }
    }
}
